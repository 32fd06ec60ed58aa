#!/usr/bin/env bash
# rate-limited: limit_req on /wp-login.php (1 r/s, burst 5); a credential-stuffing bot
# posts in bursts -> 503 + "limiting requests".
source "$(dirname "$0")/../lib.sh"
lab_init nginx-rate-limited
make_docroot
NGX_HTTP_EXTRA='limit_req_zone $binary_remote_addr zone=wplogin:1m rate=1r/s;'
NGX_SERVER_EXTRA='location = /wp-login.php { limit_req zone=wplogin burst=5 nodelay; '"$(fastcgi_block)"' }'
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 110 0.1
sleep 2
for round in 1 2 3; do
  BURST_UA="python-requests/2.31.0" burst 12 /wp-login.php -X POST -d "log=admin&pwd=guess$round"
  sleep 2.5
done
wait_bg
traffic 30 0.05

capture
assert_log error.log 'limiting requests, excess:' 10
n=$(count_status 503)
write_expected \
  "nginx limit_req zone wplogin (1 r/s, burst=5 nodelay) on /wp-login.php; a bot posts bursts of 12 logins" \
  '[{"cause":"rate-limited","rank":1,"confidence":[0.85,1.0]}]' \
  "Injected: 3 bursts of 12 concurrent POST /wp-login.php (user agent python-requests/2.31.0). nginx: 'limiting requests, excess: … by zone \"wplogin\"' -> $n × 503 (default limit_req_status). Normal GET /wp-login.php in the same seconds can be limited too (all traffic comes from 127.0.0.1)."
