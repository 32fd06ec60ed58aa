#!/usr/bin/env bash
# upstream-tls: /billing/ is proxied over HTTPS to a backend with a self-signed
# certificate while proxy_ssl_verify is on -> "upstream SSL certificate verify error"
# -> 502.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-upstream-tls
make_docroot
port_is_free 19040 || die "127.0.0.1:19040 is busy"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=billing.lab.internal" \
  -keyout "$BASE/conf/billing.key" -out "$BASE/conf/billing.crt" 2>/dev/null
start_helper 120 "const fs=require('fs');require('https').createServer({key:fs.readFileSync(process.argv[1]),cert:fs.readFileSync(process.argv[2])},(q,r)=>{r.end('{\"invoice\":1}');}).listen(19040,'127.0.0.1');setTimeout(()=>process.exit(0),115000);" "$BASE/conf/billing.key" "$BASE/conf/billing.crt"
wait_port 19040
NGX_SERVER_EXTRA='location ^~ /billing/ { proxy_pass https://127.0.0.1:19040; proxy_ssl_verify on; proxy_ssl_name billing.lab.internal; proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt; }'
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 110 0.1
for i in $(seq 1 8); do
  sleep 1.2
  REQ_UA="${UAS[$((i % 4))]}" req "/billing/invoices/$((900 + i))" >/dev/null
done
wait_bg
traffic 30 0.05

capture
assert_log error.log 'upstream SSL certificate verify error: (18:self-signed certificate) while SSL handshaking to upstream' 8
n=$(count_status 502)
write_expected \
  "nginx proxy_pass https:// to a billing backend on 127.0.0.1:19040 whose certificate is self-signed, with proxy_ssl_verify on" \
  '[{"cause":"upstream-tls","rank":1,"confidence":[0.85,1.0]}]' \
  "Injected: 8 × GET /billing/invoices/N; TLS verification of the backend certificate fails ('upstream SSL certificate verify error: (18:self-signed certificate) while SSL handshaking to upstream') -> $n × 502. PHP site unaffected."
