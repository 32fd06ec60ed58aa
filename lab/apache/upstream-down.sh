#!/usr/bin/env bash
# Apache 2.4 mod_proxy_fcgi → php-fpm (TCP 127.0.0.1:29000); FPM is stopped mid-traffic
# and stays down: AH00957 (111) + AH01079 → 503.
source "$(dirname "$0")/lib.sh"
lab_init upstream-down 28080
write_site
write_fpm_conf 127.0.0.1:29000 "pm = dynamic" "pm.max_children = 5" "pm.start_servers = 2" "pm.min_spare_servers = 1" "pm.max_spare_servers = 3"
write_apache_conf combined '<FilesMatch "\.php$">' '  SetHandler "proxy:fcgi://127.0.0.1:29000"' '</FilesMatch>'
start_fpm
start_apache
background 140 0.15          # ~30 s of normal traffic
sleep 9
stop_fpm                     # "Terminating ..." / "exiting, bye-bye!"; nobody restarts it
wait_bg
stop_apache
collect apache-upstream-down \
  "Apache 2.4 + mod_proxy_fcgi (SetHandler proxy:fcgi://127.0.0.1:29000). php-fpm is stopped (SIGTERM) about 9 s into the run and stays down: every PHP request after that fails with (111)Connection refused AH00957 + AH01079 → 503; static files keep answering 200." \
  upstream-down 0.8 0.95 \
  "Rule §5.16 (variant stopped: 'exiting, bye-bye!' and no later 'fpm is running'). Access log format: plain combined (no %D). SetHandler uses the implicit worker, so there are no AH00959/AH00940 lockout lines. Not fpm-restart: FPM never comes back."
