#!/usr/bin/env bash
# Apache 2.4 mod_proxy_http → a slow local HTTP backend (python3 on 127.0.0.1:28090), ProxyTimeout 3:
# AH01102 error reading status line (70007) + AH00898 Error reading from remote server → 502 (not 504).
source "$(dirname "$0")/lib.sh"
lab_init proxy-http-timeout 28084
BACKEND_PORT=28090
check_port "$BACKEND_PORT"
write_site
write_apache_conf combinedD "ProxyTimeout 3" \
  "ProxyPass \"/api/\" \"http://127.0.0.1:$BACKEND_PORT/api/\"" \
  "ProxyPassReverse \"/api/\" \"http://127.0.0.1:$BACKEND_PORT/api/\""
cat >"$DIR/backend.py" <<'PY'
import sys, time, json
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith('/api/export'):
            time.sleep(6)          # slower than ProxyTimeout
        else:
            time.sleep(0.03)
        body = json.dumps({'path': self.path}).encode()
        try:
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
    def log_message(self, *a):
        pass
ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
timeout 300 python3 "$DIR/backend.py" "$BACKEND_PORT" >"$DIR/backend.stdout" 2>&1 &
LAB_PIDS+=("$!")
for i in $(seq 1 50); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$BACKEND_PORT/api/ping" && break; sleep 0.1; done
start_apache
# background: static files and fast API calls
(
  paths=(/ /style.css /logo.png /api/items /api/items?page=2 /api/cart /health.txt)
  for i in $(seq 1 130); do req "${paths[$((RANDOM % ${#paths[@]}))]}" 10; sleep 0.15; done
) &
BG=$!
LAB_PIDS+=("$BG")
sleep 3
REQ_PIDS=()
for i in 1 2 3 4 5 6 7; do
  req "/api/export?format=csv&part=$i" 15 &
  REQ_PIDS+=("$!")
  sleep 1.7
done
wait "$BG" || true
wait "${REQ_PIDS[@]}" || true
stop_apache
collect apache-proxy-http-timeout \
  "Apache 2.4 mod_proxy_http (ProxyPass /api/ → http://127.0.0.1:28090/api/, ProxyTimeout 3) in front of a slow HTTP backend: /api/export takes 6 s, Apache gives up after 3 s with (70007) AH01102 'error reading status line from remote server' + AH00898 'Error reading from remote server returned by /api/export' and answers 502 — not 504." \
  upstream-timeout 0.5 0.9 \
  "Part 7 #1 / §3.3 A-HTTP: mod_proxy_http maps a backend read timeout to 502. Each 502 joins its AH01102 (70007) line; root unknown beyond 'backend too slow' (no backend logs supplied). Access log: combined + %D (≈ 3 000 000 µs on the 502s). No PHP-FPM in this stack." \
  apache+http
