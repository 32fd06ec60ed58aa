# shellcheck shell=bash
# Helpers for the Apache 2.4 + PHP-FPM lab (sourced by lab/apache/<scenario>.sh).
#
# Safety rules, enforced here:
#  * everything listens on 127.0.0.1 only: Apache on 28080-28099, php-fpm on 29000-29049,
#    HTTP test backends on 28090-28099, unix sockets inside the scenario's temp dir;
#  * every load loop is bounded in count and in time (curl --max-time, `timeout`);
#  * we stop only the processes we started, by the pid we recorded (never by name).
#
# Needs: apache2, php8.2-fpm, curl (apt-get install -y apache2 php8.2-fpm curl), python3.

set -euo pipefail

LAB_APACHE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$LAB_APACHE_DIR/../.." && pwd)"
FIXTURES="$REPO_ROOT/fixtures/scenarios"
MODDIR=/usr/lib/apache2/modules
FPM_BIN="${FPM_BIN:-$(command -v php-fpm8.2 || echo /usr/sbin/php-fpm8.2)}"

LAB_PIDS=()          # pids we started (apache parent, fpm master, backends, load jobs)
DIR=""
NAME=""
APACHE_PORT=""
FPM_LISTEN=""

log() { printf '[lab/apache %s] %s\n' "${NAME:-?}" "$*" >&2; }

need() {
  local b
  for b in apache2 "$FPM_BIN" curl python3; do
    command -v "$b" >/dev/null 2>&1 || { echo "missing $b: apt-get install -y apache2 php8.2-fpm curl" >&2; exit 3; }
  done
}

check_port() { # refuse ports outside our ranges
  local p=$1
  if ! { [ "$p" -ge 28080 ] && [ "$p" -le 28099 ]; } && ! { [ "$p" -ge 29000 ] && [ "$p" -le 29049 ]; }; then
    echo "port $p is outside 28080-28099 / 29000-29049" >&2; exit 4
  fi
}

lab_init() { # lab_init NAME APACHE_PORT
  NAME=$1
  APACHE_PORT=$2
  check_port "$APACHE_PORT"
  need
  DIR=$(mktemp -d "/tmp/logsleuth-apache-$NAME.XXXXXX")
  chmod 755 "$DIR"
  mkdir -p "$DIR/www"
  trap lab_cleanup EXIT INT TERM
  log "work dir $DIR"
}

# ------------------------------------------------------------------ php-fpm
# write_fpm_conf LISTEN [extra pool lines...]   LISTEN = 127.0.0.1:29xxx or a socket path in $DIR
write_fpm_conf() {
  FPM_LISTEN=$1; shift
  case "$FPM_LISTEN" in
    127.0.0.1:*) check_port "${FPM_LISTEN#127.0.0.1:}" ;;
    "$DIR"/*) ;;
    *) echo "FPM must listen on 127.0.0.1:29xxx or inside $DIR" >&2; exit 4 ;;
  esac
  {
    echo "[global]"
    echo "pid = $DIR/php-fpm.pid"
    echo "error_log = $DIR/php-fpm.log"
    echo "log_level = notice"
    echo "daemonize = no"
    echo
    echo "[www]"
    echo "user = www-data"
    echo "group = www-data"
    echo "listen = $FPM_LISTEN"
    echo "listen.owner = www-data"
    echo "listen.group = www-data"
    echo "listen.mode = 0660"
    echo "php_admin_flag[display_errors] = off"
    echo "php_admin_flag[log_errors] = on"
    echo "php_admin_value[max_execution_time] = 30"
    printf '%s\n' "$@"
  } >"$DIR/php-fpm.conf"
}

start_fpm() {
  # -n: no php.ini (errors go to FastCGI stderr → Apache AH01071, as on Debian by default)
  "$FPM_BIN" -n -F -R -y "$DIR/php-fpm.conf" >>"$DIR/php-fpm.stdout" 2>&1 &
  FPM_PID=$!
  LAB_PIDS+=("$FPM_PID")
  local i
  for i in $(seq 1 50); do
    grep -q 'ready to handle connections' "$DIR/php-fpm.log" 2>/dev/null && { log "php-fpm up (pid $FPM_PID, $FPM_LISTEN)"; return 0; }
    sleep 0.1
  done
  echo "php-fpm did not start; see $DIR/php-fpm.log $DIR/php-fpm.stdout" >&2
  cat "$DIR/php-fpm.stdout" "$DIR/php-fpm.log" >&2 || true
  exit 5
}

stop_pid() { # stop_pid PID [signal]: TERM, wait ≤10 s, then KILL — only that pid
  local pid=$1 sig=${2:-TERM} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

stop_fpm() { [ -n "${FPM_PID:-}" ] && stop_pid "$FPM_PID" TERM; log "php-fpm stopped"; }

# ------------------------------------------------------------------ apache
# write_apache_conf LOGFORMAT_NAME(combined|combinedD) [extra config lines...]
write_apache_conf() {
  local fmt=$1; shift
  cat >"$DIR/apache2.conf" <<EOF
ServerRoot "/etc/apache2"
ServerName localhost
Listen 127.0.0.1:$APACHE_PORT
PidFile $DIR/apache2.pid
DefaultRuntimeDir $DIR
Mutex file:$DIR default
User www-data
Group www-data
LoadModule mpm_event_module $MODDIR/mod_mpm_event.so
LoadModule authz_core_module $MODDIR/mod_authz_core.so
LoadModule mime_module $MODDIR/mod_mime.so
LoadModule dir_module $MODDIR/mod_dir.so
LoadModule setenvif_module $MODDIR/mod_setenvif.so
LoadModule proxy_module $MODDIR/mod_proxy.so
LoadModule proxy_fcgi_module $MODDIR/mod_proxy_fcgi.so
LoadModule proxy_http_module $MODDIR/mod_proxy_http.so
TypesConfig /etc/mime.types
Timeout 60
KeepAlive On
KeepAliveTimeout 5
StartServers 1
ServerLimit 2
ThreadsPerChild 25
MinSpareThreads 10
MaxSpareThreads 50
MaxRequestWorkers 50
ErrorLog $DIR/error.log
LogLevel warn
LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" combined
LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D" combinedD
CustomLog $DIR/access.log $fmt
DocumentRoot $DIR/www
DirectoryIndex index.php index.html
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<Directory $DIR/www>
  Require all granted
</Directory>
EOF
  printf '%s\n' "$@" >>"$DIR/apache2.conf"
}

start_apache() {
  apache2 -t -f "$DIR/apache2.conf" 2>>"$DIR/apache2.stdout" || { cat "$DIR/apache2.stdout" >&2; exit 6; }
  apache2 -f "$DIR/apache2.conf" -DFOREGROUND >>"$DIR/apache2.stdout" 2>&1 &
  APACHE_PID=$!
  LAB_PIDS+=("$APACHE_PID")
  local i
  for i in $(seq 1 50); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$APACHE_PORT/health.txt" && { log "apache up (pid $APACHE_PID, port $APACHE_PORT)"; return 0; }
    sleep 0.1
  done
  echo "apache did not start" >&2; cat "$DIR/apache2.stdout" "$DIR/error.log" >&2 || true; exit 6
}

stop_apache() { [ -n "${APACHE_PID:-}" ] && stop_pid "$APACHE_PID" TERM; log "apache stopped"; }

# ------------------------------------------------------------------ site content
write_site() {
  echo ok >"$DIR/www/health.txt"
  printf 'body{margin:0}\n%.0s' $(seq 1 200) >"$DIR/www/style.css"
  head -c 20000 /dev/zero | tr '\0' 'x' >"$DIR/www/logo.png"
  cat >"$DIR/www/index.php" <<'EOF'
<?php
// a cheap page
$items = [];
for ($i = 0; $i < 200; $i++) { $items[] = md5((string)$i); }
header('Content-Type: text/html; charset=utf-8');
echo "<html><body><h1>Shop</h1><ul><li>" . implode('</li><li>', array_slice($items, 0, 50)) . "</li></ul></body></html>\n";
EOF
  cat >"$DIR/www/product.php" <<'EOF'
<?php
usleep(random_int(20000, 120000));
echo str_repeat("<p>product " . htmlspecialchars($_GET['id'] ?? '1') . "</p>\n", 200);
EOF
  chmod -R a+rX "$DIR/www"
}

# ------------------------------------------------------------------ load (bounded)
UAS=(
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1'
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
)
# one request (always bounded by --max-time)
req() { # req PATH [max-time]
  local ua=${UAS[$((RANDOM % ${#UAS[@]}))]}
  curl -s -o /dev/null --max-time "${2:-20}" -A "$ua" -e "http://localhost:$APACHE_PORT/" "http://127.0.0.1:$APACHE_PORT$1" || true
}
# background traffic: COUNT requests, one every ~SLEEP s, over the normal pages; bounded by `timeout`
background() { # background COUNT SLEEP
  local n=$1 pause=$2
  (
    local i paths=(/ /index.php '/product.php?id=17' '/product.php?id=42' /style.css /logo.png '/product.php?id=7' /)
    for i in $(seq 1 "$n"); do
      req "${paths[$((RANDOM % ${#paths[@]}))]}" 10
      sleep "$pause"
    done
  ) &
  LAB_PIDS+=("$!")
  BG_PID=$!
}
# burst: COUNT requests to PATH with CONC in parallel, every request bounded by MAXT seconds
burst() { # burst COUNT CONC PATH MAXT
  local n=$1 conc=$2 path=$3 maxt=$4
  seq 1 "$n" | timeout $((maxt * (n / conc + 2))) xargs -P "$conc" -I{} \
    curl -s -o /dev/null --max-time "$maxt" -A "${UAS[0]}" "http://127.0.0.1:$APACHE_PORT$path" || true
}
wait_bg() { [ -n "${BG_PID:-}" ] && wait "$BG_PID" 2>/dev/null || true; }

# ------------------------------------------------------------------ output
# collect OUTNAME DESCRIPTION CAUSE LO HI NOTES [STACK]
collect() {
  local out="$FIXTURES/$1" desc=$2 cause=$3 lo=$4 hi=$5 notes=$6 stack=${7:-apache+php-fpm}
  mkdir -p "$out"
  cp "$DIR/access.log" "$out/access.log"
  cp "$DIR/error.log" "$out/error.log"
  [ -f "$DIR/php-fpm.log" ] && cp "$DIR/php-fpm.log" "$out/php-fpm.log"
  [ -s "$DIR/php-fpm-slow.log" ] && cp "$DIR/php-fpm-slow.log" "$out/php-fpm-slow.log"
  [ -f "$DIR/backend.log" ] && cp "$DIR/backend.log" "$out/backend.log"
  local tz
  tz=$(date +%Z)
  [ "$tz" = "UTC" ] || tz=$(cat /etc/timezone 2>/dev/null || echo "$tz")
  SCEN="$NAME" OUT="$out" DESC="$desc" CAUSE="$cause" LO="$lo" HI="$hi" NOTES="$notes" STACK="$stack" TZNAME="$tz" \
  APACHE_VER="$(apache2 -v | sed -n 's/^Server version: //p')" FPM_VER="$("$FPM_BIN" -v | head -1)" node -e '
    const fs = require("fs");
    const e = process.env;
    const acc = fs.readFileSync(e.OUT + "/access.log", "utf8").split("\n").filter(Boolean);
    const byStatus = {};
    let fivexx = 0;
    for (const l of acc) {
      const m = /" (\d{3}) /.exec(l);
      if (!m) continue;
      byStatus[m[1]] = (byStatus[m[1]] || 0) + 1;
      if (m[1][0] === "5") fivexx++;
    }
    const exp = {
      description: e.DESC,
      source: "lab",
      stack: e.STACK,
      tz: e.TZNAME,
      stats: { requests: acc.length, fiveXX: fivexx, byStatus, accessLogFormat: / \d+$/.test(acc[acc.length - 1] || "") ? "combined+%D" : "combined" },
      expect: [{ cause: e.CAUSE, rank: 1, confidence: [Number(e.LO), Number(e.HI)], fiveXX: fivexx }],
      notes: e.NOTES + " Captured on 127.0.0.1 (" + e.APACHE_VER + ", " + e.FPM_VER + "); the client is always 127.0.0.1 and the document root a temp dir.",
      generatedBy: "lab/apache/" + e.SCEN + ".sh",
    };
    fs.writeFileSync(e.OUT + "/expected.json", JSON.stringify(exp, null, 2) + "\n");
    console.log(e.OUT.replace(/.*fixtures/, "fixtures") + ": " + acc.length + " access lines, " + fivexx + " × 5xx " + JSON.stringify(byStatus));
  '
}

lab_cleanup() {
  local rc=$? p
  trap - EXIT INT TERM
  # stop in reverse order, each by its own pid
  for ((p = ${#LAB_PIDS[@]} - 1; p >= 0; p--)); do stop_pid "${LAB_PIDS[$p]}" TERM; done
  if [ -n "$DIR" ] && [ -z "${KEEP_LAB_DIR:-}" ]; then rm -rf "$DIR"; fi
  exit "$rc"
}
