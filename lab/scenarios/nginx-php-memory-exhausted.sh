#!/usr/bin/env bash
# php-memory-exhausted: memory_limit=32M; a WordPress plugin's export page builds a
# big array until PHP's memory_limit fires -> 500, message in nginx's error log
# (Debian default: PHP error_log unset, so it arrives as "FastCGI sent in stderr").
source "$(dirname "$0")/../lib.sh"
lab_init nginx-php-memory-exhausted
make_docroot
write_php wp-content/plugins/heavy-export/admin-page.php <<'PHP'
<?php
require __DIR__ . '/export.php';
heavy_export_run($_GET['format'] ?? 'csv');
PHP
write_php wp-content/plugins/heavy-export/export.php <<'PHP'
<?php
// Heavy Export: loads every order into memory before writing the CSV.
function heavy_export_run(string $format): void
{
    $rows = [];
    for ($i = 0; $i < 5000000; $i++) {
        $rows[] = ['id' => $i, 'email' => "customer$i@example.test", 'note' => str_repeat('x', 64)];
    }
    header('Content-Type: text/csv');
    foreach ($rows as $r) {
        echo implode(',', $r), "\n";
    }
}
PHP
FPM_POOL_EXTRA='php_admin_value[memory_limit] = 32M'
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 100 0.1
for i in 1 2 3 4 5 6; do
  sleep 1.2
  REQ_UA="${UAS[0]}" req "/wp-admin/admin.php?page=heavy-export&format=csv" >/dev/null
done
wait_bg
traffic 30 0.05

capture
assert_log error.log 'Allowed memory size of 33554432 bytes exhausted' 6
n=$(count_status 500)
write_expected \
  "nginx -> PHP-FPM (unix socket), WordPress-like site; the heavy-export plugin's admin page exceeds memory_limit=32M" \
  '[{"cause":"php-memory-exhausted","rank":1,"confidence":[0.85,1.0]}]' \
  "Injected: 6 × GET /wp-admin/admin.php?page=heavy-export&format=csv; wp-content/plugins/heavy-export/export.php builds an array until 'Allowed memory size of 33554432 bytes exhausted' -> $n × 500. PHP errors reach nginx's error.log as 'FastCGI sent in stderr' (error_log unset, Debian default). Culprit: wordpress-plugin heavy-export."
