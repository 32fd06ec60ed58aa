#!/usr/bin/env bash
# dns-resolution: /partner/ is proxied to a host name resolved at run time via a
# resolver on 127.0.0.1:18053 that answers NXDOMAIN -> "could not be resolved
# (3: Host not found)" -> 502.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-dns-resolution
make_docroot
# minimal DNS server answering NXDOMAIN to every query (UDP 127.0.0.1:18053, exits after 120 s)
start_helper 120 "const d=require('dgram').createSocket('udp4');d.on('message',(m,r)=>{if(m.length<17)return;const q=Buffer.from(m);q[2]=0x80|(m[2]&0x79);q[3]=0x83;q.writeUInt16BE(0,6);q.writeUInt16BE(0,8);q.writeUInt16BE(0,10);let i=12;while(i<m.length&&m[i]!==0)i+=m[i]+1;d.send(q.subarray(0,i+5),r.port,r.address);});d.bind(18053,'127.0.0.1');setTimeout(()=>process.exit(0),115000);"
NGX_SERVER_EXTRA='location ^~ /partner/ { resolver 127.0.0.1:18053 valid=10s ipv6=off; resolver_timeout 2s; set $partner_backend "partner-api.lab.internal"; proxy_pass http://$partner_backend:8080; }'
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 110 0.1
for i in $(seq 1 8); do
  sleep 1.2
  REQ_UA="${UAS[$((i % 4))]}" req "/partner/quote?sku=$((700 + i))" >/dev/null
done
wait_bg
traffic 30 0.05

capture
assert_log error.log 'could not be resolved (3: Host not found)' 8
n=$(count_status 502)
write_expected \
  "nginx proxy_pass via a variable to partner-api.lab.internal with resolver 127.0.0.1:18053, which answers NXDOMAIN" \
  '[{"cause":"dns-resolution","rank":1,"confidence":[0.85,1.0]}]' \
  "Injected: 8 × GET /partner/quote?sku=N; the name does not resolve (NXDOMAIN from the lab resolver). nginx: 'partner-api.lab.internal could not be resolved (3: Host not found)' -> $n × 502. PHP site unaffected."
