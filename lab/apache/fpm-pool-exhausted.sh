#!/usr/bin/env bash
# Apache 2.4 mod_proxy_fcgi → php-fpm on a unix socket with pm.max_children = 2 and a tiny
# listen.backlog; a burst of slow requests saturates the pool. Queued requests hit ProxyTimeout →
# (70007) AH01075 → 504; FPM logs "server reached pm.max_children". (Apache's connect to the unix
# socket blocks rather than failing with EAGAIN, so no 503/AH02454 appears in practice.)
source "$(dirname "$0")/lib.sh"
lab_init fpm-pool-exhausted 28081
write_site
cat >"$DIR/www/report.php" <<'PHP'
<?php
// a slow report (waits on something for 3 s)
sleep(3);
echo str_repeat("<tr><td>row</td></tr>\n", 500);
PHP
chmod a+r "$DIR/www/report.php"
write_fpm_conf "$DIR/fpm.sock" "listen.backlog = 2" "pm = dynamic" "pm.max_children = 2" "pm.start_servers = 1" "pm.min_spare_servers = 1" "pm.max_spare_servers = 1"
write_apache_conf combinedD "ProxyTimeout 8" '<FilesMatch "\.php$">' "  SetHandler \"proxy:unix:$DIR/fpm.sock|fcgi://localhost\"" '</FilesMatch>'
start_fpm
start_apache
background 110 0.2           # ~25 s of normal traffic
sleep 6
burst 40 20 /report.php 30   # 40 slow requests, 20 at a time
wait_bg
sleep 1
stop_apache
stop_fpm
collect apache-fpm-pool-exhausted \
  "Apache 2.4 + mod_proxy_fcgi over a unix socket to php-fpm with pm.max_children = 2 and listen.backlog = 2. A burst of 40 slow (3 s) requests, 20 in parallel, saturates the pool: queued requests wait past ProxyTimeout 8 → (70007)The timeout specified has expired AH01075 (polling) → 504, with %D of 8-15 s. FPM logs 'server reached pm.max_children setting (2)'. Apache's connect to the unix socket blocked instead of failing with EAGAIN, so there are no 503/AH02454 lines." \
  fpm-pool-exhausted 0.8 0.95 \
  "Rule §5.1: a 504 cluster inside an episode that has F-MAXCHILD → 0.85 (no errno-11 lines here). Access log: combined + %D (µs); %t is the request start. No slow log configured (so slow-dependency cannot claim it). Background PHP requests during the burst are slowed (long %D) but still served."
