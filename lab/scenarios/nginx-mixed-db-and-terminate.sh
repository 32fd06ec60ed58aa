#!/usr/bin/env bash
# MIXED: the shop's database is down (many 500 from PDO refused, errors through
# nginx's FastCGI stderr) while a report plugin is also killed by
# request_terminate_timeout (a few 502). Expected: database-unavailable first,
# fpm-request-terminated second.
source "$(dirname "$0")/../lib.sh"
lab_init nginx-mixed-db-and-terminate
make_docroot
port_is_free 3306 || die "something listens on 127.0.0.1:3306; this scenario needs it closed"
write_php shop/catalog.php <<'PHP'
<?php
require __DIR__ . '/src/Database.php';
$db = Shop\Database::connect();
$stmt = $db->prepare('SELECT id, name, price FROM products WHERE category = ?');
$stmt->execute([(int)($_GET['cat'] ?? 1)]);
echo json_encode($stmt->fetchAll(PDO::FETCH_ASSOC));
PHP
write_php shop/src/Database.php <<'PHP'
<?php
namespace Shop;

use PDO;

final class Database
{
    public static function connect(): PDO
    {
        return new PDO('mysql:host=127.0.0.1;port=3306;dbname=shop;charset=utf8mb4', 'shop', 'shop-secret', [
            PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
        ]);
    }
}
PHP
write_php wp-content/plugins/report-builder/ajax-rb_generate.php <<'PHP'
<?php
sleep(10);
echo json_encode(['success' => true]);
PHP
FPM_POOL_EXTRA='request_terminate_timeout = 3s'
write_configs
start_fpm
start_nginx

SHOP_URLS=("/shop/catalog.php?cat=1" "/" "/wp-content/themes/twentyfour/style.css" "/shop/catalog.php?cat=2" "/index.php?p=42" "/shop/catalog.php?cat=3" "/robots.txt" "/about/")
traffic 30 0.05
bg_traffic 160 0.1 "${SHOP_URLS[@]}"
pids=()
for i in 1 2 3; do
  sleep 3
  REQ_UA="${UAS[1]}" req "/wp-admin/admin-ajax.php?action=rb_generate&report=$i" -X POST -d "nonce=n$i" >/dev/null &
  pids+=($!)
done
wait "${pids[@]}"
wait_bg
traffic 20 0.05

capture
assert_log error.log 'SQLSTATE[HY000] [2002] Connection refused' 20
assert_log php-fpm.log 'execution timed out' 3
n500=$(count_status 500); n502=$(count_status 502)
[[ $n500 -gt $n502 ]] || die "db ($n500) should outweigh terminate ($n502)"
write_expected \
  "MIXED nginx -> PHP-FPM: the shop's MySQL (127.0.0.1:3306) is down -> many 500; meanwhile a report ajax action is killed by request_terminate_timeout=3s -> a few 502" \
  '[{"cause":"database-unavailable","rank":1,"confidence":[0.8,1.0]},{"cause":"fpm-request-terminated","rank":2,"confidence":[0.7,1.0]}]' \
  "Injected: (1) /shop/catalog.php?cat=N throughout the traffic, PDO to 127.0.0.1:3306 refused -> uncaught PDOException (stack trace in nginx's error.log via FastCGI stderr) -> $n500 × 500 (variant refused); (2) 3 × POST /wp-admin/admin-ajax.php?action=rb_generate (sleep 10) killed after 3 s ('execution timed out … terminating', 'exited on signal 15 (SIGTERM)') -> $n502 × 502."
