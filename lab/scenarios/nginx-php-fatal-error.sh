#!/usr/bin/env bash
# php-fatal-error: after an update, a sidebar widget plugin calls a function that no
# longer exists, on single-post pages of one category -> 500. Plain combined log.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-php-fatal-error
make_docroot
write_php wp-content/plugins/social-widget/front-hook.php <<'PHP'
<?php
if (isset($_GET['p']) && (int)$_GET['p'] % 7 === 0) {
    require_once __DIR__ . '/includes/render.php';
    social_widget_render((int)$_GET['p']);
}
PHP
write_php wp-content/plugins/social-widget/includes/render.php <<'PHP'
<?php
function social_widget_render(int $post): void
{
    $counts = sw_fetch_share_counts_legacy($post); // removed in 3.0
    echo "<aside>{$counts['total']} shares</aside>";
}
PHP
NGX_LOG_FORMAT=combined
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 110 0.1
for i in $(seq 1 10); do
  sleep 1
  REQ_UA="${UAS[$((i % 4))]}" req "/index.php?p=$((i * 7))" >/dev/null
done
wait_bg
traffic 30 0.05

capture
assert_log error.log 'Call to undefined function sw_fetch_share_counts_legacy()' 10
n=$(count_status 500)
write_expected \
  "nginx -> PHP-FPM (unix socket); a WordPress plugin calls an undefined function on some post pages; plain combined access log" \
  '[{"cause":"php-fatal-error","rank":1,"confidence":[0.8,1.0]}]' \
  "Injected: GET /index.php?p=N with N a multiple of 7 (10 explicit + those in normal traffic, /index.php?p=7): wp-content/plugins/social-widget/includes/render.php 'Uncaught Error: Call to undefined function sw_fetch_share_counts_legacy()' with a stack trace (multi-line FastCGI stderr in nginx's error.log) -> $n × 500. Culprit: wordpress-plugin social-widget. Access log is plain combined."
