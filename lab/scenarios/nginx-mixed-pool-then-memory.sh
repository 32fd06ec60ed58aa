#!/usr/bin/env bash
# MIXED: a pool-exhaustion episode (bursts to a slow endpoint, max_children=3,
# short backlog -> many 502) followed ~15 s later by a few memory_limit fatals in an
# export plugin (-> a handful of 500). Expected: both, ranked by impact.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-mixed-pool-then-memory
make_docroot
write_php wp-content/plugins/related-posts-pro/related.php <<'PHP'
<?php
sleep(3);
echo json_encode(['related' => [12, 42, 108]]);
PHP
write_php wp-content/plugins/heavy-export/admin-page.php <<'PHP'
<?php
require __DIR__ . '/export.php';
heavy_export_run($_GET['format'] ?? 'csv');
PHP
write_php wp-content/plugins/heavy-export/export.php <<'PHP'
<?php
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
FPM_MAX_CHILDREN=3 FPM_START_SERVERS=1 FPM_MIN_SPARE=1 FPM_MAX_SPARE=2
FPM_LISTEN_BACKLOG=4
FPM_POOL_EXTRA='php_admin_value[memory_limit] = 32M'
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 230 0.1
sleep 2
burst 24 /wp-content/plugins/related-posts-pro/related.php
sleep 1
burst 16 /wp-content/plugins/related-posts-pro/related.php
sleep 12
for i in 1 2 3 4; do
  sleep 1.5
  REQ_UA="${UAS[0]}" req "/wp-admin/admin.php?page=heavy-export&format=csv" >/dev/null
done
wait_bg
traffic 20 0.05

capture
assert_log error.log 'failed (11: Resource temporarily unavailable)' 5
assert_log error.log 'Allowed memory size of 33554432 bytes exhausted' 4
n502=$(count_status 502); n500=$(count_status 500)
[[ $n502 -gt $n500 ]] || die "pool episode ($n502) should outweigh memory ($n500)"
write_expected \
  "MIXED nginx -> PHP-FPM: pool exhaustion episode (max_children=3, listen.backlog=4, bursts to a 3 s endpoint), then ~15 s later a few memory_limit fatals in a WordPress export plugin" \
  '[{"cause":"fpm-pool-exhausted","rank":1,"confidence":[0.8,1.0]},{"cause":"php-memory-exhausted","rank":2,"confidence":[0.85,1.0]}]' \
  "Injected: (1) bursts of 24 and 16 concurrent GET /wp-content/plugins/related-posts-pro/related.php (sleep 3) -> EAGAIN on the unix socket + 'server reached pm.max_children setting (3)' -> $n502 × 502; (2) ~15 s later 4 × GET /wp-admin/admin.php?page=heavy-export -> 'Allowed memory size of 33554432 bytes exhausted' in wp-content/plugins/heavy-export/export.php -> $n500 × 500. Ranked by impact: pool exhaustion first."
