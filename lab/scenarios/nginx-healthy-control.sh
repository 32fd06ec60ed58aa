#!/usr/bin/env bash
# Control: a healthy nginx + PHP-FPM site; normal traffic plus a few 404s. No fault.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-healthy-control
make_docroot
write_configs
start_fpm
start_nginx
traffic 120 0.05
for u in /xmlrpc.php /old-page.php /wp-content/plugins/missing/loader.php; do
  REQ_UA="${UAS[3]}" req "$u" >/dev/null
done
traffic 60 0.05

capture
[[ $(count_status '5[0-9][0-9]') -eq 0 ]] || die "control produced 5xx"
write_expected \
  "Healthy nginx -> PHP-FPM (unix socket) WordPress-like site: normal traffic and three 404s, no fault injected" \
  '[]' \
  "Nothing injected. 3 × 404 for missing .php files (try_files \$uri =404 in the PHP location). No 5xx expected; the tool should report no root cause."
