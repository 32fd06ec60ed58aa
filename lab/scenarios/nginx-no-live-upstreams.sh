#!/usr/bin/env bash
# no-live-upstreams (derived): an upstream group of two API servers (max_fails=1,
# fail_timeout=10s) answers at first, then both servers die. The first failures are
# connect() refused (111) on both; later requests inside fail_timeout get
# "no live upstreams". Root cause per the rules: upstream-down, via no-live-upstreams.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-no-live-upstreams
make_docroot
for p in 19030 19031; do port_is_free $p || die "127.0.0.1:$p is busy"; done
api="require('http').createServer((q,r)=>{r.setHeader('Content-Type','application/json');r.end(JSON.stringify({items:[1,2,3],node:process.argv[1]}));}).listen(+process.argv[1],'127.0.0.1');setTimeout(()=>process.exit(0),115000);"
start_helper 120 "$api" 19030; API1=$HELPER_PID
start_helper 120 "$api" 19031; API2=$HELPER_PID
wait_port 19030; wait_port 19031
NGX_HTTP_EXTRA='upstream app_api { server 127.0.0.1:19030 max_fails=1 fail_timeout=10s; server 127.0.0.1:19031 max_fails=1 fail_timeout=10s; }'
NGX_SERVER_EXTRA='location ^~ /api/ { proxy_pass http://app_api; proxy_set_header Host $host; proxy_connect_timeout 2s; }'
write_configs
start_fpm
start_nginx

API_URLS=("/api/v1/items" "/" "/api/v1/items?page=2" "/wp-content/themes/twentyfour/style.css" "/api/v1/cart" "/index.php?p=42" "/api/v1/items?page=3" "/robots.txt")
traffic 40 0.05 "${API_URLS[@]}"
bg_traffic 160 0.12 "${API_URLS[@]}"
sleep 3
log "stopping both API servers (our helper pids $API1 $API2)"
kill "$API1" "$API2"
wait "$API1" "$API2" 2>/dev/null || true
wait_bg
traffic 20 0.05 "${API_URLS[@]}"

capture
assert_log error.log 'no live upstreams while connecting to upstream' 3
assert_log error.log '(111: Connection refused) while connecting to upstream' 2
n=$(count_status 502)
nolive=$(grep -c 'no live upstreams' "$BASE/logs/error.log" || true)
write_expected \
  "nginx proxy_pass to an upstream group of two HTTP API servers (max_fails=1, fail_timeout=10s) that both die during traffic; the PHP site stays healthy" \
  '[{"cause":"upstream-down","rank":1,"confidence":[0.55,0.95]}]' \
  "Injected: both API servers (127.0.0.1:19030, :19031) stopped ~3 s into traffic. The first /api/ requests after that fail with connect() failed (111: Connection refused) on both servers ('upstream server temporarily disabled' warnings are below the error log level), later ones inside fail_timeout with 'no live upstreams' ($nolive lines, upstream: \"http://app_api/…\") -> $n × 502 in total on /api/. Rule 5.13: credit the 111 failures (upstream-down) for the no-live 502s too, with no-live-upstreams as the 'via' mechanism; no-live-upstreams alone should not be ranked as the root."
