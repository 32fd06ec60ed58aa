#!/usr/bin/env bash
# upstream-timeout (fallback): a theme template burns CPU for ~6 s; fastcgi_read_timeout
# 3s -> 504. max_execution_time stays at 30 (not reached). The slow log shows only PHP
# code (cpu class), so no dependency can be blamed.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-upstream-timeout
make_docroot
write_php wp-content/themes/twentyfour/front-hook-impl.php <<'PHP'
<?php
function twentyfour_related_grid(int $p): string
{
    // naive similarity over all posts, recomputed on every page view
    $deadline = microtime(true) + 6.0;
    $h = '';
    $n = 0;
    while (microtime(true) < $deadline) {
        $h = md5($h . $p . $n++);
    }
    return $h;
}
PHP
write_php wp-content/plugins/theme-hooks/front-hook.php <<'PHP'
<?php
if (isset($_GET['related'])) {
    require dirname(__DIR__, 2) . '/themes/twentyfour/front-hook-impl.php';
    echo twentyfour_related_grid((int)($_GET['p'] ?? 0));
}
PHP
SLOWLOG=1
FPM_MAX_CHILDREN=10 FPM_START_SERVERS=3 FPM_MIN_SPARE=2 FPM_MAX_SPARE=5
FPM_POOL_EXTRA='request_slowlog_timeout = 2s'
NGX_PHP_EXTRA='fastcgi_read_timeout 3s;'
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 110 0.1
pids=()
for i in 1 2 3 4 5; do
  sleep 2
  REQ_UA="${UAS[2]}" req "/index.php?p=$((20 + i))&related=1" >/dev/null &
  pids+=($!)
done
wait "${pids[@]}"
wait_bg
sleep 4
traffic 30 0.05

capture
assert_log error.log 'upstream timed out (110: Connection timed out) while reading response header from upstream' 5
n=$(count_status 504)
write_expected \
  "nginx -> PHP-FPM (unix socket); theme code burns CPU for 6 s per request, fastcgi_read_timeout 3s; slow log shows PHP frames only" \
  '[{"cause":"upstream-timeout","rank":1,"confidence":[0.5,0.9]}]' \
  "Injected: 5 × GET /index.php?p=N&related=1; wp-content/themes/twentyfour/front-hook-impl.php loops on md5() for 6 s (CPU; under max_execution_time=30). nginx 'upstream timed out (110) while reading response header' -> $n × 504. slow.log (2 s) top frames are md5()/microtime() in theme code: cpu class, no dependency -> fallback upstream-timeout (culprit wordpress-theme twentyfour)."
