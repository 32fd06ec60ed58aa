#!/usr/bin/env bash
# fpm-restart (reload): two `kill -USR2` of OUR FPM master while slow report requests
# are in flight; default process_control_timeout=0 cuts them -> 502.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-fpm-restart
make_docroot
write_php wp-content/plugins/sales-report/admin-page.php <<'PHP'
<?php
sleep(3);
echo "<table><tr><td>Sales</td><td>42</td></tr></table>";
PHP
FPM_MAX_CHILDREN=8 FPM_START_SERVERS=4 FPM_MIN_SPARE=2 FPM_MAX_SPARE=6
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 150 0.1
for round in 1 2; do
  sleep 2
  pids=()
  for i in 1 2 3; do
    REQ_UA="${UAS[0]}" req "/wp-admin/admin.php?page=sales-report&range=$round$i" >/dev/null &
    pids+=($!)
  done
  sleep 1.5
  log "reload: kill -USR2 $FPM_PID (our FPM master)"
  kill -USR2 "$FPM_PID"
  wait "${pids[@]}" || true
  sleep 4
done
wait_bg
traffic 30 0.05

capture
assert_log php-fpm.log 'Reloading in progress' 2
assert_log php-fpm.log 'using inherited socket' 2
n=$(count_status 502)
write_expected \
  "nginx -> PHP-FPM (unix socket); FPM reloaded twice (SIGUSR2) while slow admin reports were running (process_control_timeout=0)" \
  '[{"cause":"fpm-restart","rank":1,"confidence":[0.8,1.0]}]' \
  "Injected: 2 × kill -USR2 of the FPM master, each 1.5 s into 3 concurrent GET /wp-admin/admin.php?page=sales-report (sleep 3). FPM: 'Reloading in progress ...', 'reloading: execvp(...)', 'using inherited socket fd=…', 'fpm is running', 'ready to handle connections'. In-flight requests cut -> $n × 502 (prematurely closed / reset). The inherited socket keeps new requests queued, so normal traffic mostly survives."
