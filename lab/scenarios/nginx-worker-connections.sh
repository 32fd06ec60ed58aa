#!/usr/bin/env bash
# nginx-worker-connections: worker_connections 15; a burst of concurrent slow ajax
# requests uses every slot (client + upstream connection each) ->
# "15 worker_connections are not enough" -> 500 (and some clients dropped).
source "$(dirname "$0")/../lib.sh"
lab_init nginx-worker-connections
make_docroot
write_php wp-content/plugins/live-chat/ajax-chat_poll.php <<'PHP'
<?php
// long-poll: waits for new chat messages
sleep(2);
echo json_encode(['messages' => []]);
PHP
NGX_WORKER_CONNECTIONS=${WC:-15}
FPM_MAX_CHILDREN=30 FPM_START_SERVERS=12 FPM_MIN_SPARE=5 FPM_MAX_SPARE=15
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 100 0.1
sleep 2
# clients arrive one every 0.15 s and each holds two slots (client + upstream) for 2 s:
# once 7 polls are active, the next accepted client cannot get an upstream connection
pids=()
for i in $(seq 1 30); do
  REQ_MAX_TIME=8 REQ_UA="${UAS[$((i % 3))]}" req "/wp-admin/admin-ajax.php?action=chat_poll&room=$((i % 4))" >/dev/null &
  pids+=($!)
  sleep 0.15
done
wait "${pids[@]}"
wait_bg
traffic 30 0.05

capture
assert_log error.log 'worker_connections are not enough while connecting to upstream' 3
n=$(count_status 500)
dropped=$(grep 'worker_connections are not enough' "$BASE/logs/error.log" | grep -vc 'while connecting to upstream' || true)
write_expected \
  "nginx with worker_processes 1 and worker_connections $NGX_WORKER_CONNECTIONS (odd on purpose: with the listening and channel sockets taking slots, an accepted client can be left without a slot for its upstream connection) in front of PHP-FPM; bursts of concurrent long-poll requests exhaust the connection slots" \
  '[{"cause":"nginx-worker-connections","rank":1,"confidence":[0.8,1.0]}]' \
  "Injected: 30 GET /wp-admin/admin-ajax.php?action=chat_poll (plugin live-chat, sleep 2), one every 0.15 s, plus normal traffic. nginx [alert] '$NGX_WORKER_CONNECTIONS worker_connections are not enough while connecting to upstream' -> $n × 500; $dropped alert line(s) without a request are client connections dropped with no access-log line."
