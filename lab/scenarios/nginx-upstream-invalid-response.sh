#!/usr/bin/env bash
# upstream-invalid-response (protocol-mismatch): the /legacy/ app was moved to an HTTP
# server on 127.0.0.1:19020 but nginx still uses fastcgi_pass for it ->
# "upstream sent unsupported FastCGI protocol version: 72" -> 502.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-upstream-invalid-response
make_docroot
port_is_free 19020 || die "127.0.0.1:19020 is busy"
# a plain HTTP responder (not FastCGI); exits by itself after 120 s
start_helper 120 "require('net').createServer(s=>{s.on('error',()=>{});s.once('data',()=>{s.end('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\nConnection: close\r\n\r\n<p>legacy</p>');});}).listen(19020,'127.0.0.1');setTimeout(()=>process.exit(0),115000);"
wait_port 19020
NGX_SERVER_EXTRA='location ^~ /legacy/ { include /etc/nginx/fastcgi_params; fastcgi_param SCRIPT_FILENAME $document_root/legacy/index.php; fastcgi_pass 127.0.0.1:19020; }'
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 110 0.1
for i in $(seq 1 9); do
  sleep 1.1
  REQ_UA="${UAS[$((i % 4))]}" req "/legacy/orders.php?id=$((500 + i))" >/dev/null
done
wait_bg
traffic 30 0.05

capture
assert_log error.log 'upstream sent unsupported FastCGI protocol version: 72' 9
n=$(count_status 502)
write_expected \
  "nginx location /legacy/ does fastcgi_pass to 127.0.0.1:19020, which speaks HTTP, not FastCGI; the rest of the site (PHP-FPM on a unix socket) is healthy" \
  '[{"cause":"upstream-invalid-response","rank":1,"confidence":[0.85,1.0]}]' \
  "Injected: 9 × GET /legacy/orders.php?id=N routed with fastcgi_pass to an HTTP responder on 127.0.0.1:19020. nginx: 'upstream sent unsupported FastCGI protocol version: 72 while reading response header from upstream' -> $n × 502 (variant protocol-mismatch; 72 = 'H' of 'HTTP/1.1')."
