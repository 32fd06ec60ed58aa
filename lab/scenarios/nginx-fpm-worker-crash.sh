#!/usr/bin/env bash
# fpm-worker-crash: while a plugin's image resize request runs, the busy worker is
# sent SIGSEGV (its pid is read from OUR pool's status page) -> FPM logs
# "exited on signal 11 (SIGSEGV)", nginx loses the connection -> 502.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-fpm-worker-crash
make_docroot
write_php wp-content/plugins/image-optimizer/ajax-imgopt_resize.php <<'PHP'
<?php
// stands in for a long native call (imagick) that crashes
sleep(4);
echo json_encode(['resized' => true]);
PHP
FPM_POOL_EXTRA='pm.status_path = /fpm-status'
NGX_SERVER_EXTRA='location = /fpm-status { allow 127.0.0.1; deny all; access_log off; '"$(fastcgi_block)"' }'
write_configs
start_fpm
start_nginx

busy_worker() {  # pid of the worker running the resize request, from our pool status
  curl -s --max-time 3 -H "Host: $LAB_HOST" "http://127.0.0.1:$NGX_PORT/fpm-status?json&full" \
    | jq -r '.processes[] | select(.state == "Running" and (."request uri" | test("imgopt_resize"))) | .pid' | head -1
}

traffic 40 0.05
bg_traffic 110 0.1
crashed=0
for i in 1 2 3; do
  sleep 2
  REQ_UA="${UAS[0]}" req "/wp-admin/admin-ajax.php?action=imgopt_resize&id=$((300 + i))" -X POST >/dev/null &
  rp=$!
  sleep 1
  w="$(busy_worker || true)"
  kids=" $(fpm_children | tr '\n' ' ') "
  if [[ -n "$w" && "$kids" == *" $w "* ]]; then
    log "kill -SEGV worker $w (child of our master $FPM_PID)"
    kill -SEGV "$w"; crashed=$((crashed + 1))
  else
    log "no busy worker found (got '$w')"
  fi
  wait "$rp" || true
done
wait_bg
traffic 30 0.05

capture
[[ $crashed -ge 2 ]] || die "only $crashed crashes injected"
assert_log php-fpm.log 'exited on signal 11 (SIGSEGV' "$crashed"
n=$(count_status 502)
write_expected \
  "nginx -> PHP-FPM (unix socket); FPM workers serving a plugin's image-resize ajax action die on SIGSEGV" \
  '[{"cause":"fpm-worker-crash","rank":1,"confidence":[0.8,1.0]}]' \
  "Injected: $crashed × kill -SEGV of the busy worker (pid from /fpm-status?full of our pool) 1 s into POST /wp-admin/admin-ajax.php?action=imgopt_resize. FPM: 'child N exited on signal 11 (SIGSEGV) after …' + 'child M started'; nginx: upstream prematurely closed / recv() reset -> $n × 502. No kernel log (a signal sent with kill leaves no 'segfault at' line)."
