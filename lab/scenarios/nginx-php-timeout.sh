#!/usr/bin/env bash
# php-timeout: max_execution_time=2; a sitemap plugin's admin page runs a CPU loop ->
# "Maximum execution time of 2 seconds exceeded" -> 500.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-php-timeout
make_docroot
write_php wp-content/plugins/seo-sitemap/admin-page.php <<'PHP'
<?php
require __DIR__ . '/includes/builder.php';
echo seo_sitemap_build();
PHP
write_php wp-content/plugins/seo-sitemap/includes/builder.php <<'PHP'
<?php
function seo_sitemap_build(): string
{
    $xml = '';
    for ($i = 0; ; $i++) {            // never finishes: recomputes priorities for every URL pair
        $xml = sha1($xml . $i);
    }
    return $xml;
}
PHP
FPM_POOL_EXTRA='php_admin_value[max_execution_time] = 2'
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 110 0.1
pids=()
for i in 1 2 3 4 5; do
  sleep 1.5
  REQ_UA="${UAS[0]}" req "/wp-admin/admin.php?page=seo-sitemap&rebuild=$i" >/dev/null &
  pids+=($!)
done
wait "${pids[@]}"
wait_bg
traffic 30 0.05

capture
assert_log error.log "Maximum execution time of 2 seconds exceeded" 3
n=$(count_status 500)
write_expected \
  "nginx -> PHP-FPM (unix socket); a sitemap plugin's admin page hits max_execution_time=2 in a CPU loop" \
  '[{"cause":"php-timeout","rank":1,"confidence":[0.8,1.0]}]' \
  "Injected: 5 × GET /wp-admin/admin.php?page=seo-sitemap; wp-content/plugins/seo-sitemap/includes/builder.php loops on sha1(); 'PHP Fatal error:  Maximum execution time of 2 seconds exceeded' via FastCGI stderr -> $n × 500 (request_time ≈ 2 s). Culprit: wordpress-plugin seo-sitemap."
