#!/usr/bin/env bash
# socket-permission: the FPM socket is root:root 0600 while nginx workers run as
# www-data -> connect() ... (13: Permission denied) -> 502 for every PHP request.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-socket-permission
make_docroot
FPM_LISTEN_OWNER=root FPM_LISTEN_GROUP=root FPM_LISTEN_MODE=0600
NGX_USER=www-data
write_configs
start_fpm
start_nginx
traffic 160 0.05

capture
assert_log error.log 'failed (13: Permission denied) while connecting to upstream' 20
n=$(count_status 502)
write_expected \
  "nginx (workers as www-data) -> PHP-FPM unix socket owned root:root mode 0600" \
  '[{"cause":"socket-permission","rank":1,"confidence":[0.85,1.0]}]' \
  "Injected: pool listen.owner=root, listen.group=root, listen.mode=0600; nginx 'user www-data'. Every PHP request: [crit] connect() to unix:… failed (13: Permission denied) -> $n × 502 from the first request on; static files 200."
