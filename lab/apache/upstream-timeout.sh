#!/usr/bin/env bash
# Apache 2.4 mod_proxy_fcgi → php-fpm with ProxyTimeout 3; one endpoint takes 6 s:
# (70007)The timeout specified has expired … AH01075 Error dispatching request to : (polling) → 504.
source "$(dirname "$0")/lib.sh"
lab_init upstream-timeout 28083
write_site
mkdir -p "$DIR/www/api"
cat >"$DIR/www/api/report.php" <<'PHP'
<?php
// builds a report from a slow source; takes ~6 s
$t = microtime(true);
while (microtime(true) - $t < 6) { usleep(200000); }
header('Content-Type: application/json');
echo json_encode(['ok' => true, 'rows' => 1200]);
PHP
chmod -R a+rX "$DIR/www"
write_fpm_conf 127.0.0.1:29003 "pm = dynamic" "pm.max_children = 10" "pm.start_servers = 3" "pm.min_spare_servers = 2" "pm.max_spare_servers = 5"
write_apache_conf combinedD "ProxyTimeout 3" '<FilesMatch "\.php$">' '  SetHandler "proxy:fcgi://127.0.0.1:29003"' '</FilesMatch>'
start_fpm
start_apache
background 120 0.15
sleep 3
REQ_PIDS=()
for i in 1 2 3 4 5 6 7 8; do
  req "/api/report.php?month=2026-0$(( (i % 9) + 1 ))" 15 &
  REQ_PIDS+=("$!")
  sleep 1.5
done
wait "${REQ_PIDS[@]}" || true
wait_bg
stop_apache
stop_fpm
collect apache-upstream-timeout \
  "Apache 2.4 + mod_proxy_fcgi → php-fpm with ProxyTimeout 3. /api/report.php needs ~6 s; Apache gives up after 3 s with (70007)The timeout specified has expired AH01075 (polling) → 504 (%D ≈ 3 s). The pool is not saturated (max_children 10) and no slow log is configured, so nothing deeper explains it." \
  upstream-timeout 0.5 0.9 \
  "Rule §5.10 fallback: each 504 joins its own AH01075 line (0.85), but the root stays unknown (no slow log, no PHP message; PHP keeps running after Apache gave up). Not fpm-pool-exhausted: no max_children warning. Access log: combined + %D."
