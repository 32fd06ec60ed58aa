#!/usr/bin/env bash
# FPM pool exhaustion: pm.max_children=2 and a short listen backlog; a burst of
# concurrent requests to a slow script fills both workers and the backlog, so
# nginx gets EAGAIN on the unix socket (502) and FPM warns about max_children.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-fpm-pool-exhausted
make_docroot
write_php wp-content/plugins/related-posts-pro/related.php <<'PHP'
<?php
// deliberately slow: holds an FPM worker for 3 s
sleep(3);
echo json_encode(['related' => [12, 42, 108]]);
PHP
FPM_MAX_CHILDREN=2 FPM_START_SERVERS=1 FPM_MIN_SPARE=1 FPM_MAX_SPARE=2
FPM_LISTEN_BACKLOG=4
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 90 0.1
sleep 2
burst 24 /wp-content/plugins/related-posts-pro/related.php
sleep 1
burst 16 /wp-content/plugins/related-posts-pro/related.php
wait_bg
traffic 30 0.05

capture
assert_log error.log 'failed (11: Resource temporarily unavailable) while connecting to upstream' 5
assert_log php-fpm.log 'server reached pm.max_children setting (2)'
n=$(count_status 502)
write_expected \
  "nginx -> PHP-FPM over a unix socket; pool with pm.max_children=2 and listen.backlog=4 saturated by bursts of concurrent requests to a 3 s plugin endpoint" \
  '[{"cause":"fpm-pool-exhausted","rank":1,"confidence":[0.8,1.0]}]' \
  "Injected: two bursts (24 then 16 concurrent) of GET /wp-content/plugins/related-posts-pro/related.php (sleep 3) while normal traffic runs. Backlog full -> connect() (11: Resource temporarily unavailable) -> $n × 502 (bursts and normal PHP requests alike); FPM logged 'server reached pm.max_children setting (2)'. Static files kept answering 200."
