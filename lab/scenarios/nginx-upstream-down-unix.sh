#!/usr/bin/env bash
# upstream-down (unix socket, variant stopped): PHP-FPM is stopped gracefully in the
# middle of the traffic and not started again; the socket file disappears ->
# connect() ... (2: No such file or directory) -> 502. Plain `combined` access log.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-upstream-down-unix
make_docroot
NGX_LOG_FORMAT=combined
write_configs
start_fpm
start_nginx

traffic 60 0.05
bg_traffic 40 0.1
sleep 2
log "stopping php-fpm (SIGQUIT to our master $FPM_PID)"
stop_fpm QUIT
wait_bg
# stays down: > 30 s of failures, longer than any restart window
traffic 110 0.35

capture
assert_log error.log 'failed (2: No such file or directory) while connecting to upstream' 10
assert_log php-fpm.log 'exiting, bye-bye!'
n=$(count_status 502)
write_expected \
  "nginx -> PHP-FPM (unix socket); FPM stopped (graceful SIGQUIT) during traffic and never restarted; plain combined access log" \
  '[{"cause":"upstream-down","rank":1,"confidence":[0.8,1.0]}]' \
  "Injected: kill -QUIT of the FPM master after ~5 s of traffic ('Finishing ...', 'exiting, bye-bye!', no later 'fpm is running'); FPM stays down for the remaining ~45 s of traffic. Every PHP request afterwards: connect() to unix:... failed (2: No such file or directory) -> $n × 502 ([crit] lines). Static files kept answering 200. Variant: stopped / socket-missing. Access log is plain combined (no upstream fields)."
