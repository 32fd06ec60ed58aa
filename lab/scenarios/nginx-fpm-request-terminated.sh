#!/usr/bin/env bash
# fpm-request-terminated: request_terminate_timeout=3s; an ajax action of a plugin
# sleeps 10 s, FPM kills the worker with SIGTERM, nginx answers 502. No slow log.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-fpm-request-terminated
make_docroot
write_php wp-content/plugins/report-builder/ajax-rb_generate.php <<'PHP'
<?php
// Report Builder: waits for the report to be "generated"
sleep(10);
echo json_encode(['success' => true]);
PHP
FPM_POOL_EXTRA='request_terminate_timeout = 3s'
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 110 0.1
pids=()
for i in 1 2 3 4 5; do
  sleep 1.5
  REQ_UA="${UAS[1]}" req "/wp-admin/admin-ajax.php?action=rb_generate&report=$i" -X POST -d "nonce=abc$i" >/dev/null &
  pids+=($!)
done
wait "${pids[@]}"
wait_bg
traffic 30 0.05

capture
assert_log php-fpm.log 'execution timed out' 5
assert_log php-fpm.log 'exited on signal 15 (SIGTERM)' 5
n=$(count_status 502)
write_expected \
  "nginx -> PHP-FPM (unix socket); request_terminate_timeout=3s kills a plugin ajax action that sleeps 10 s" \
  '[{"cause":"fpm-request-terminated","rank":1,"confidence":[0.7,1.0]}]' \
  "Injected: 5 × POST /wp-admin/admin-ajax.php?action=rb_generate (plugin report-builder, sleep(10)); FPM logged 'execution timed out (3.x sec), terminating' + 'exited on signal 15 (SIGTERM)' for each; nginx logged the dropped connection -> $n × 502. No slow log configured, so the blocking call is not visible."
