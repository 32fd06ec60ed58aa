# shellcheck shell=bash
# lab/lib.sh — helpers for the nginx + PHP-FPM real-server lab.
#
# Sourced by lab/scenarios/<name>.sh. Every scenario:
#   1. calls lab_init <name>          (fresh temp dir, EXIT trap)
#   2. sets knobs (NGX_*, FPM_*) and calls write_configs, start_fpm, start_nginx
#   3. runs bounded traffic (traffic / bg_traffic / burst) around ONE fault
#   4. calls capture + write_expected  (copies logs into fixtures/scenarios/<name>/)
# The EXIT trap stops every process this script started, by the pid it recorded.
#
# Safety rules (see lab/README.md): traffic goes to 127.0.0.1 only; nginx listens
# on 127.0.0.1:18080-18099, FPM TCP listeners on 127.0.0.1:19000-19049, unix sockets
# live inside the scenario directory; every loop is bounded in count and in time;
# processes are stopped only by the pids recorded here (never by name).

set -euo pipefail

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$LAB_DIR/.." && pwd)"
LAB_ROOT="${LAB_ROOT:-/tmp/lab-nginx}"
LAB_HOST="lab.example.test"

# Process ids started by this scenario (stopped in this order by the EXIT trap).
NGINX_PID=""
FPM_PID=""
EXTRA_PIDS=()   # helper servers (node), stopped by pid on exit
BG_PIDS=()      # background traffic loops (timeout-capped), stopped by pid on exit

log() { printf '[lab %s] %s\n' "${SCENARIO:-?}" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------- init / cleanup

lab_init() {
  SCENARIO="$1"
  BASE="$LAB_ROOT/$SCENARIO"
  OUT="$REPO_DIR/fixtures/scenarios/$SCENARIO"
  # Defaults; scenarios override before write_configs.
  LAB_TZ="${LAB_TZ:-UTC}"
  NGX_PORT=18080
  NGX_LOG_FORMAT=lab              # lab | combined
  NGX_WORKER_CONNECTIONS=512
  NGX_EVENTS_EXTRA=""
  NGX_HTTP_EXTRA=""
  NGX_SERVER_EXTRA=""
  NGX_PHP_EXTRA=""
  NGX_USER=www-data
  FPM_LISTEN="$BASE/run/php8.2-fpm.sock"
  FPM_LISTEN_OWNER=www-data
  FPM_LISTEN_GROUP=www-data
  FPM_LISTEN_MODE=0660
  FPM_LISTEN_BACKLOG=511
  FPM_PM=dynamic
  FPM_MAX_CHILDREN=5
  FPM_START_SERVERS=2
  FPM_MIN_SPARE=1
  FPM_MAX_SPARE=3
  FPM_GLOBAL_EXTRA=""
  FPM_POOL_EXTRA=""
  PHP_ERROR_LOG=""                # set to 1: php_admin_value[error_log] = logs/php-error.log
  SLOWLOG=""                      # set to 1: slowlog = logs/slow.log (+ FPM_POOL_EXTRA for timeout)

  mkdir -p "$LAB_ROOT"
  # one lab run at a time on this machine (ports are shared between scenarios)
  exec 9>"$LAB_ROOT/.lock"
  flock -w 600 9 || die "another lab run holds $LAB_ROOT/.lock"
  rm -rf "$BASE"
  mkdir -p "$BASE"/{conf,logs,run,tmp,www}
  chmod 755 "$LAB_ROOT" "$BASE" "$BASE/www" "$BASE/run"
  trap lab_cleanup EXIT
  export TZ="$LAB_TZ"
  log "base $BASE, output $OUT"
}

lab_cleanup() {
  local rc=$?
  set +e
  stop_nginx
  stop_fpm
  local p
  for p in "${BG_PIDS[@]}" "${EXTRA_PIDS[@]}"; do
    kill "$p" 2>/dev/null
  done
  for p in "${BG_PIDS[@]}" "${EXTRA_PIDS[@]}"; do
    wait "$p" 2>/dev/null
  done
  BG_PIDS=(); EXTRA_PIDS=()
  if [[ "${LAB_KEEP:-0}" != 1 && -n "${BASE:-}" && "$BASE" == "$LAB_ROOT"/* ]]; then
    rm -rf "$BASE"
  fi
  if [[ $rc -eq 0 ]]; then log "done"; else log "exit code $rc"; fi
  exit $rc
}

# ---------------------------------------------------------------- docroot

# A small fake WordPress site. Scenario scripts add their own culprit files.
make_docroot() {
  local w="$BASE/www"
  mkdir -p "$w"/wp-content/themes/twentyfour "$w"/wp-includes/js/jquery \
           "$w"/wp-content/uploads/2026/11 "$w"/wp-content/plugins "$w"/wp-admin
  cat >"$w/index.php" <<'PHP'
<?php
// front controller of the fake WordPress site; plugins hook in with front-hook.php
usleep(random_int(2000, 20000));
foreach (glob(__DIR__ . '/wp-content/plugins/*/front-hook.php') as $hook) {
    require $hook;
}
$p = isset($_GET['p']) ? (int)$_GET['p'] : 0;
header('Content-Type: text/html; charset=UTF-8');
echo "<!doctype html><title>Lab blog</title><h1>Lab blog</h1>";
echo $p ? "<article>Post $p</article>" : str_repeat("<article>Recent post</article>", 5);
PHP
  cat >"$w/wp-login.php" <<'PHP'
<?php
usleep(random_int(5000, 15000));
if ($_SERVER['REQUEST_METHOD'] === 'POST') { http_response_code(302); header('Location: /wp-admin/'); exit; }
echo "<form method=post><input name=log><input name=pwd type=password></form>";
PHP
  cat >"$w/wp-admin/admin-ajax.php" <<'PHP'
<?php
// dispatches ?action=X to wp-content/plugins/*/ajax-X.php
usleep(random_int(5000, 30000));
$action = preg_replace('/[^a-z0-9_]/', '', $_REQUEST['action'] ?? 'heartbeat');
foreach (glob(dirname(__DIR__) . "/wp-content/plugins/*/ajax-$action.php") as $handler) {
    require $handler;
    exit;
}
header('Content-Type: application/json');
echo json_encode(['success' => true, 'data' => ['heartbeat' => time()]]);
PHP
  cat >"$w/wp-admin/admin.php" <<'PHP'
<?php
// dispatches ?page=X to wp-content/plugins/X/admin-page.php
$page = preg_replace('/[^a-z0-9-]/', '', $_GET['page'] ?? '');
$file = dirname(__DIR__) . "/wp-content/plugins/$page/admin-page.php";
if ($page !== '' && is_file($file)) {
    require $file;
    exit;
}
echo "<!doctype html><title>Dashboard</title><h1>Dashboard</h1>";
PHP
  cat >"$w/wp-cron.php" <<'PHP'
<?php
usleep(random_int(10000, 50000));
echo "";
PHP
  printf 'body{font-family:sans-serif;margin:0 auto;max-width:40em}\n%.0s' {1..40} >"$w/wp-content/themes/twentyfour/style.css"
  head -c 6000 /dev/zero | tr '\0' 'x' >"$w/wp-includes/js/jquery/jquery.min.js"
  head -c 3000 /dev/zero >"$w/wp-content/uploads/2026/11/header.png"
  printf 'User-agent: *\nDisallow: /wp-admin/\n' >"$w/robots.txt"
  chmod -R a+rX "$w"
}

# write_php <path under www> : reads the script body from stdin
write_php() {
  local f="$BASE/www/$1"
  mkdir -p "$(dirname "$f")"
  cat >"$f"
  chmod -R a+rX "$BASE/www"
}

# ---------------------------------------------------------------- configs

write_configs() {
  write_fpm_conf
  write_nginx_conf
}

write_fpm_conf() {
  local pool_extra="$FPM_POOL_EXTRA"
  if [[ -n "$PHP_ERROR_LOG" ]]; then
    touch "$BASE/logs/php-error.log"
    chown www-data:www-data "$BASE/logs/php-error.log"
    pool_extra+=$'\n'"php_admin_value[error_log] = $BASE/logs/php-error.log"
    pool_extra+=$'\n'"php_admin_flag[log_errors] = on"
  fi
  if [[ -n "$SLOWLOG" ]]; then
    pool_extra+=$'\n'"slowlog = $BASE/logs/slow.log"
  fi
  cat >"$BASE/conf/php-fpm.conf" <<EOF
; generated by lab/lib.sh for scenario $SCENARIO
[global]
pid = $BASE/run/php-fpm.pid
error_log = $BASE/logs/php-fpm.log
log_level = notice
$FPM_GLOBAL_EXTRA

[www]
user = www-data
group = www-data
listen = $FPM_LISTEN
listen.owner = $FPM_LISTEN_OWNER
listen.group = $FPM_LISTEN_GROUP
listen.mode = $FPM_LISTEN_MODE
listen.backlog = $FPM_LISTEN_BACKLOG
pm = $FPM_PM
pm.max_children = $FPM_MAX_CHILDREN
pm.start_servers = $FPM_START_SERVERS
pm.min_spare_servers = $FPM_MIN_SPARE
pm.max_spare_servers = $FPM_MAX_SPARE
$pool_extra
EOF
}

# fastcgi_block [extra directives]: the usual FastCGI lines for extra locations
fastcgi_block() {
  printf 'include /etc/nginx/fastcgi_params; fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name; fastcgi_pass %s; %s' "$(fastcgi_pass_target)" "${1:-}"
}

fastcgi_pass_target() {
  if [[ "$FPM_LISTEN" == /* ]]; then echo "unix:$FPM_LISTEN"; else echo "$FPM_LISTEN"; fi
}

write_nginx_conf() {
  local pass; pass="$(fastcgi_pass_target)"
  mkdir -p "$BASE/tmp"/{body,fastcgi,proxy,uwsgi,scgi}
  cat >"$BASE/conf/nginx.conf" <<EOF
# generated by lab/lib.sh for scenario $SCENARIO
daemon off;
worker_processes 1;
user $NGX_USER;
pid $BASE/run/nginx.pid;
error_log $BASE/logs/error.log error;

events {
    worker_connections $NGX_WORKER_CONNECTIONS;
    $NGX_EVENTS_EXTRA
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 65;
    server_tokens off;

    log_format lab '\$remote_addr - \$remote_user [\$time_local] "\$request" \$status \$body_bytes_sent '
                   '"\$http_referer" "\$http_user_agent" rt=\$request_time uct="\$upstream_connect_time" '
                   'uht="\$upstream_header_time" urt="\$upstream_response_time" ua="\$upstream_addr" us="\$upstream_status"';

    client_body_temp_path $BASE/tmp/body;
    fastcgi_temp_path $BASE/tmp/fastcgi;
    proxy_temp_path $BASE/tmp/proxy;
    uwsgi_temp_path $BASE/tmp/uwsgi;
    scgi_temp_path $BASE/tmp/scgi;

    $NGX_HTTP_EXTRA

    server {
        listen 127.0.0.1:$NGX_PORT;
        server_name $LAB_HOST;
        root $BASE/www;
        index index.php index.html;
        access_log $BASE/logs/access.log $NGX_LOG_FORMAT;

        location / {
            try_files \$uri \$uri/ /index.php?\$args;
        }

        location ~ \.php\$ {
            try_files \$uri =404;
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            fastcgi_pass $pass;
            $NGX_PHP_EXTRA
        }

        $NGX_SERVER_EXTRA
    }
}
EOF
}

# ---------------------------------------------------------------- processes

start_fpm() {
  [[ -z "$FPM_PID" ]] || die "FPM already started"
  local before=0
  [[ -f "$BASE/logs/php-fpm.log" ]] && before=$(grep -c 'ready to handle connections' "$BASE/logs/php-fpm.log" || true)
  php-fpm8.2 -F -R -y "$BASE/conf/php-fpm.conf" </dev/null >>"$BASE/run/php-fpm.stdout" 2>&1 &
  FPM_PID=$!
  local i n
  for i in $(seq 1 100); do
    n=$(grep -c 'ready to handle connections' "$BASE/logs/php-fpm.log" 2>/dev/null || true)
    [[ "${n:-0}" -gt "$before" ]] && { log "php-fpm pid $FPM_PID ready ($FPM_LISTEN)"; return 0; }
    kill -0 "$FPM_PID" 2>/dev/null || die "php-fpm exited at start: $(cat "$BASE/run/php-fpm.stdout")"
    sleep 0.1
  done
  die "php-fpm not ready after 10 s"
}

# stop_fpm [QUIT|TERM] — graceful (QUIT, default) or fast (TERM) stop of OUR master
stop_fpm() {
  local sig="${1:-QUIT}"
  [[ -n "$FPM_PID" ]] || return 0
  if kill -0 "$FPM_PID" 2>/dev/null; then
    kill -"$sig" "$FPM_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 50); do kill -0 "$FPM_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$FPM_PID" 2>/dev/null && kill -KILL "$FPM_PID" 2>/dev/null
  fi
  wait "$FPM_PID" 2>/dev/null || true
  FPM_PID=""
}

# children of OUR FPM master (the workers), by parent pid
fpm_children() {
  [[ -n "$FPM_PID" ]] || return 0
  local c
  for c in /proc/[0-9]*; do
    [[ "$(awk '/^PPid:/{print $2}' "$c/status" 2>/dev/null)" == "$FPM_PID" ]] && echo "${c#/proc/}"
  done
  return 0
}

start_nginx() {
  [[ -z "$NGINX_PID" ]] || die "nginx already started"
  nginx -t -q -p "$BASE/" -e "$BASE/logs/error.log" -c "$BASE/conf/nginx.conf" 2>"$BASE/run/nginx-t.err" \
    || { cat "$BASE/run/nginx-t.err" >&2; die "nginx config test failed"; }
  nginx -p "$BASE/" -e "$BASE/logs/error.log" -c "$BASE/conf/nginx.conf" </dev/null >>"$BASE/run/nginx.stdout" 2>&1 &
  NGINX_PID=$!
  local i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$NGX_PORT") 2>/dev/null; then log "nginx pid $NGINX_PID on 127.0.0.1:$NGX_PORT"; return 0; fi
    kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited at start: $(cat "$BASE/run/nginx.stdout")"
    sleep 0.1
  done
  die "nginx not listening after 10 s"
}

stop_nginx() {
  [[ -n "$NGINX_PID" ]] || return 0
  if kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -QUIT "$NGINX_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$NGINX_PID" 2>/dev/null && kill -TERM "$NGINX_PID" 2>/dev/null
  fi
  wait "$NGINX_PID" 2>/dev/null || true
  NGINX_PID=""
}

# start_helper <seconds> <node program text> [args…]: a tiny bounded node server
# on 127.0.0.1 (it exits by itself after <seconds>). Records its pid.
start_helper() {
  local secs="$1" prog="$2"; shift 2
  timeout -k 2 "$secs" node -e "$prog" "$@" </dev/null >>"$BASE/run/helper.log" 2>&1 &
  HELPER_PID=$!
  EXTRA_PIDS+=($!)
  sleep 0.5
}

# wait_port <port>: bounded wait until something listens on 127.0.0.1:<port>
wait_port() {
  local i
  for i in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  die "nothing listening on 127.0.0.1:$1"
}

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- traffic

NORMAL_URLS=(
  "/" "/index.php?p=42" "/wp-content/themes/twentyfour/style.css" "/about/"
  "/wp-includes/js/jquery/jquery.min.js" "/index.php?p=7" "/wp-admin/admin-ajax.php"
  "/wp-content/uploads/2026/11/header.png" "/robots.txt" "/feed/" "/wp-login.php" "/index.php?p=108"
)
UAS=(
  "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
  "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)

# req <path> [curl args…]: one request to OUR nginx on 127.0.0.1; prints the status
req() {
  local path="$1"; shift
  curl -s -o /dev/null -w '%{http_code}\n' --max-time "${REQ_MAX_TIME:-20}" \
    -H "Host: $LAB_HOST" -A "${REQ_UA:-${UAS[0]}}" "$@" "http://127.0.0.1:$NGX_PORT$path" || true
}

# traffic <count> [delay_s] [url…]: <count> sequential requests (bounded: count, and
# `timeout` of count*(delay+max_time)), cycling through the given or the normal URLs.
traffic() {
  local count="$1" delay="${2:-0.05}"; shift 2 || shift $#
  local urls=("$@"); [[ ${#urls[@]} -gt 0 ]] || urls=("${NORMAL_URLS[@]}")
  local i
  for ((i = 0; i < count; i++)); do
    REQ_UA="${UAS[$((i % ${#UAS[@]}))]}" REQ_MAX_TIME="${REQ_MAX_TIME:-20}" \
      req "${urls[$((i % ${#urls[@]}))]}" >/dev/null
    sleep "$delay"
  done
}

# bg_traffic <count> <delay_s> [url…]: traffic in the background, hard-capped by timeout
bg_traffic() {
  local count="$1" delay="$2"; shift 2
  local cap
  cap=$(awk -v c="$count" -v d="$delay" 'BEGIN{printf "%d", c*(d+2)+30}')
  ( trap - EXIT; exec timeout -k 2 "$cap" bash -c "$(declare -f req traffic); $(declare -p NORMAL_URLS UAS LAB_HOST NGX_PORT); traffic $count $delay $(printf '%q ' "$@")" ) &
  BG_PIDS+=($!)
}

# burst <count> <path> [curl args…]: <count> concurrent requests to one path; waits for all
burst() {
  local count="$1" path="$2"; shift 2
  local pids=() i
  for ((i = 0; i < count; i++)); do
    REQ_UA="${BURST_UA:-${UAS[1]}}" req "$path" "$@" >/dev/null &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" 2>/dev/null || true; done
}

# wait_bg: wait for every background traffic loop started so far
wait_bg() {
  local p
  for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  BG_PIDS=()
}

# ---------------------------------------------------------------- capture

assert_log() {  # assert_log <file> <fixed string> [min count]
  local f="$BASE/logs/$1" s="$2" min="${3:-1}" n
  n=$(grep -cF -- "$s" "$f" 2>/dev/null || true)
  [[ "${n:-0}" -ge "$min" ]] || die "expected >= $min × '$s' in $1, found ${n:-0}"
  log "ok: $1 has ${n} × '$s'"
}

count_status() {  # count_status <regex for status> : lines of access.log with that status
  awk -v re="^($1)\$" '{ if (match($0, /" [0-9][0-9][0-9] [0-9-]+ "/)) { s = substr($0, RSTART + 2, 3); if (s ~ re) n++ } } END { print n + 0 }' "$BASE/logs/access.log"
}

status_summary() {  # e.g. "200×143, 404×2, 502×17"
  awk '{ if (match($0, /" [0-9][0-9][0-9] [0-9-]+ "/)) c[substr($0, RSTART + 2, 3)]++ } END { for (s in c) printf "%s×%d\n", s, c[s] }' "$BASE/logs/access.log" | sort | paste -sd, - | sed 's/,/, /g'
}

# capture: copy the logs (before the servers are stopped, so no shutdown noise)
capture() {
  sleep 1.2   # let the FPM heartbeat and nginx flush their last lines
  rm -rf "$OUT"
  mkdir -p "$OUT"
  cp "$BASE/logs/access.log" "$BASE/logs/error.log" "$OUT/"
  [[ -f "$BASE/logs/php-fpm.log" ]] && cp "$BASE/logs/php-fpm.log" "$OUT/"
  if [[ -s "$BASE/logs/slow.log" ]]; then cp "$BASE/logs/slow.log" "$OUT/"; fi
  if [[ -n "$PHP_ERROR_LOG" && -f "$BASE/logs/php-error.log" ]]; then cp "$BASE/logs/php-error.log" "$OUT/"; fi
  chmod 644 "$OUT"/*
}

# write_expected <description> <expect JSON array> <notes>
# Adds the measured request/5xx counts to notes and to "stats".
write_expected() {
  local desc="$1" expect="$2" notes="$3"
  local total five summary
  total=$(wc -l <"$BASE/logs/access.log")
  five=$(count_status '5[0-9][0-9]')
  summary=$(status_summary)
  DESC="$desc" EXPECT="$expect" NOTES="$notes" TOTAL="$total" FIVE="$five" SUMMARY="$summary" \
  TZNAME="$LAB_TZ" FMT="$NGX_LOG_FORMAT" OUTFILE="$OUT/expected.json" SCEN="$SCENARIO" node -e '
    const e = process.env;
    const byStatus = {};
    for (const part of e.SUMMARY.split(", ").filter(Boolean)) { const [s, n] = part.split("×"); byStatus[s] = Number(n); }
    const doc = {
      description: e.DESC,
      source: "lab",
      stack: "nginx+php-fpm",
      tz: e.TZNAME,
      expect: JSON.parse(e.EXPECT),
      notes: `${e.NOTES} Measured: ${e.TOTAL} requests in access.log (${e.FMT} format), ${e.FIVE} 5xx; by status: ${e.SUMMARY}.`,
      stats: { requests: Number(e.TOTAL), fiveXX: Number(e.FIVE), byStatus, accessLogFormat: e.FMT },
      generatedBy: `lab/scenarios/${e.SCEN}.sh`,
    };
    require("fs").writeFileSync(e.OUTFILE, JSON.stringify(doc, null, 2) + "\n");
  '
  log "wrote $OUT (requests $total, 5xx $five: $summary)"
}
