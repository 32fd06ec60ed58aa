#!/usr/bin/env bash
# upstream-header-too-big: a cart-tracking plugin adds ~40 KB of Set-Cookie headers on
# add-to-cart requests; default fastcgi_buffer_size (4k) -> 502.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-upstream-header-too-big
make_docroot
write_php wp-content/plugins/cart-tracker/front-hook.php <<'PHP'
<?php
if (isset($_GET['add-to-cart'])) {
    // one tracking cookie per touchpoint, each with a 1 KB payload
    for ($i = 0; $i < 40; $i++) {
        setcookie("ct_touch_$i", base64_encode(random_bytes(750)), 0, '/');
    }
}
PHP
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 110 0.1
for i in 1 2 3 4 5 6 7; do
  sleep 1.3
  REQ_UA="${UAS[2]}" req "/?add-to-cart=$((40 + i))&quantity=1" >/dev/null
done
wait_bg
traffic 30 0.05

capture
assert_log error.log 'upstream sent too big header while reading response header from upstream' 7
n=$(count_status 502)
write_expected \
  "nginx -> PHP-FPM (unix socket); a plugin sends ~40 KB of Set-Cookie headers on add-to-cart, default fastcgi_buffer_size" \
  '[{"cause":"upstream-header-too-big","rank":1,"confidence":[0.85,1.0]}]' \
  "Injected: 7 × GET /?add-to-cart=N; wp-content/plugins/cart-tracker/front-hook.php sets 40 cookies of 1 KB. nginx: 'upstream sent too big header while reading response header from upstream' -> $n × 502."
