#!/usr/bin/env bash
# database-unavailable (refused): the shop's catalogue pages connect with PDO to
# MySQL on 127.0.0.1:3306 where nothing listens -> uncaught PDOException -> 500.
# RHEL-style pool: php_admin_value[error_log] -> php-error.log (so nothing reaches
# nginx's error log), PHP date.timezone=UTC while the servers run in Europe/Berlin.
LAB_TZ=Europe/Berlin
source "$(dirname "$0")/../lib.sh"
lab_init nginx-database-unavailable
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
            PDO::ATTR_TIMEOUT => 3,
        ]);
    }
}
PHP
PHP_ERROR_LOG=1
FPM_POOL_EXTRA='php_admin_value[date.timezone] = UTC'
write_configs
start_fpm
start_nginx

traffic 40 0.05
bg_traffic 120 0.1
for i in $(seq 1 14); do
  sleep 0.7
  REQ_UA="${UAS[$((i % 4))]}" req "/shop/catalog.php?cat=$((i % 5 + 1))" >/dev/null
done
wait_bg
traffic 30 0.05

capture
assert_log php-error.log 'SQLSTATE[HY000] [2002] Connection refused' 14
n=$(count_status 500)
write_expected \
  "nginx -> PHP-FPM (unix socket); shop catalogue pages cannot reach MySQL (nothing listens on 127.0.0.1:3306); PHP errors go to a separate php-error.log in UTC while nginx/FPM write Europe/Berlin local time" \
  '[{"cause":"database-unavailable","rank":1,"confidence":[0.6,0.95]}]' \
  "Injected: 14 × GET /shop/catalog.php?cat=N; shop/src/Database.php new PDO('mysql:host=127.0.0.1;port=3306…') -> uncaught PDOException 'SQLSTATE[HY000] [2002] Connection refused' -> $n × 500 (variant refused). The PHP messages are only in php-error.log (php_admin_value[error_log]), stamped '[… UTC]', while access.log/error.log/php-fpm.log are Europe/Berlin (+0100): the join needs the zone conversion; nginx's error.log has no line for these 500s."
