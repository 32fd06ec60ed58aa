#!/usr/bin/env bash
# slow-dependency (http-call): a plugin's ajax action calls a "stock API" on
# 127.0.0.1:19010 that accepts connections and never answers. fastcgi_read_timeout 3s
# -> 504; request_slowlog_timeout 1s -> the slow log shows curl_exec() in the plugin.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-slow-dependency
make_docroot
port_is_free 19010 || die "127.0.0.1:19010 is busy"
# the black-hole dependency: accepts, reads, never answers; exits by itself after 120 s
start_helper 120 "const net=require('net');const keep=[];net.createServer(s=>{keep.push(s);s.on('error',()=>{});}).listen(19010,'127.0.0.1');setTimeout(()=>process.exit(0),115000);"
wait_port 19010
write_php wp-content/plugins/stock-sync/ajax-stock_sync.php <<'PHP'
<?php
require __DIR__ . '/src/Api.php';
echo json_encode(StockSync\Api::fetchLevels((int)($_GET['sku'] ?? 1)));
PHP
write_php wp-content/plugins/stock-sync/src/Api.php <<'PHP'
<?php
namespace StockSync;

class Api
{
    public static function fetchLevels(int $sku): array
    {
        $ch = curl_init("http://127.0.0.1:19010/v1/stock/$sku");
        curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
        curl_setopt($ch, CURLOPT_CONNECTTIMEOUT, 2);
        curl_setopt($ch, CURLOPT_TIMEOUT, 8);
        $body = curl_exec($ch);
        if ($body === false) {
            error_log('stock-sync: ' . curl_error($ch));
            return ['sku' => $sku, 'stock' => null];
        }
        return json_decode($body, true);
    }
}
PHP
SLOWLOG=1
FPM_MAX_CHILDREN=10 FPM_START_SERVERS=3 FPM_MIN_SPARE=2 FPM_MAX_SPARE=5
FPM_POOL_EXTRA='request_slowlog_timeout = 1s'
NGX_PHP_EXTRA='fastcgi_read_timeout 3s;'
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 110 0.1
pids=()
for i in 1 2 3 4 5 6; do
  sleep 1.5
  REQ_UA="${UAS[0]}" req "/wp-admin/admin-ajax.php?action=stock_sync&sku=10$i" >/dev/null &
  pids+=($!)
done
wait "${pids[@]}"
wait_bg
sleep 6   # let the PHP side finish (curl timeout 8 s) so its messages are logged
traffic 30 0.05

capture
assert_log error.log 'upstream timed out (110: Connection timed out) while reading response header from upstream' 6
assert_log slow.log 'curl_exec()' 6
n=$(count_status 504)
write_expected \
  "nginx -> PHP-FPM (unix socket); a plugin's ajax action blocks in curl_exec() on a dependency that never answers; fastcgi_read_timeout 3s, FPM slow log at 1 s" \
  '[{"cause":"slow-dependency","rank":1,"confidence":[0.6,0.95]}]' \
  "Injected: 6 × GET /wp-admin/admin-ajax.php?action=stock_sync; wp-content/plugins/stock-sync/src/Api.php calls curl_exec() on 127.0.0.1:19010 (accepts, never answers; CURLOPT_TIMEOUT 8). nginx: 'upstream timed out (110) while reading response header' -> $n × 504 (mechanism upstream-timeout). slow.log: top frame curl_exec() in the plugin (variant http-call, culprit wordpress-plugin stock-sync). The plugin's own error_log() after curl's 8 s timeout never reaches nginx's log: nginx had already closed the FastCGI connection."
