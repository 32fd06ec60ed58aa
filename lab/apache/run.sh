#!/usr/bin/env bash
# Run the Apache lab scenarios (real apache2 + php8.2-fpm on 127.0.0.1) and refresh
# fixtures/scenarios/apache-<name>/.
#
#   lab/apache/run.sh                     # all scenarios, one after the other (~4 minutes)
#   lab/apache/run.sh upstream-down       # only some
#   KEEP_LAB_DIR=1 lab/apache/run.sh ...  # keep /tmp/logsleuth-apache-* for inspection
#
# Needs (as root): apt-get install -y apache2 php8.2-fpm curl  — plus python3 and node.
# Do not start the packaged services; these scripts run their own instances on ports
# 28080-28099 (Apache, HTTP backends) and 29000-29049 (php-fpm) and stop them by pid.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
all=(upstream-down fpm-pool-exhausted php-memory-exhausted upstream-timeout proxy-http-timeout)
list=("$@")
[ ${#list[@]} -gt 0 ] || list=("${all[@]}")
fail=0
for s in "${list[@]}"; do
  [ -x "$here/$s.sh" ] || { echo "unknown scenario $s (have: ${all[*]})" >&2; exit 2; }
  echo "== $s"
  if ! timeout 300 "$here/$s.sh"; then echo "!! $s failed" >&2; fail=1; fi
done
exit $fail
