#!/usr/bin/env bash
# upstream-down (TCP): PHP-FPM on 127.0.0.1:19001 is stopped (fast SIGTERM) during
# traffic and not restarted -> connect() failed (111: Connection refused) -> 502.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-upstream-down-tcp
make_docroot
FPM_LISTEN=127.0.0.1:19001
port_is_free 19001 || die "127.0.0.1:19001 is busy"
write_configs
start_fpm
start_nginx

traffic 60 0.05
bg_traffic 40 0.1
sleep 2
log "stopping php-fpm (SIGTERM to our master $FPM_PID)"
stop_fpm TERM
wait_bg
# stays down: > 30 s of failures, longer than any restart window
traffic 110 0.35

capture
assert_log error.log '(111: Connection refused) while connecting to upstream' 10
n=$(count_status 502)
write_expected \
  "nginx -> PHP-FPM over TCP 127.0.0.1:19001; FPM stopped (fast SIGTERM) during traffic and never restarted" \
  '[{"cause":"upstream-down","rank":1,"confidence":[0.8,1.0]}]' \
  "Injected: kill -TERM of the FPM master after ~5 s of traffic ('Terminating ...', 'exiting, bye-bye!', no restart); FPM stays down for the remaining ~45 s of traffic. Every PHP request afterwards: connect() failed (111: Connection refused) -> $n × 502. Static files kept answering 200. Variant: stopped."
