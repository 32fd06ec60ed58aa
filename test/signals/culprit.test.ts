import { describe, expect, it } from 'vitest';
import { culpritOf, culpritOfFrames } from '../../src/signals/culprit.js';

describe('culpritOf (§6.7)', () => {
  it.each([
    ['/var/www/html/wp-content/plugins/woocommerce/includes/class-wc-cart.php', 'wordpress-plugin', 'woocommerce'],
    ['/var/www/html/wp-content/plugins/hello.php', 'wordpress-plugin', 'hello'],
    ['/var/www/html/wp-content/themes/astra-child/functions.php', 'wordpress-theme', 'astra-child'],
    ['/var/www/html/wp-content/mu-plugins/loader.php', 'wordpress-mu-plugin', 'loader'],
    ['/var/www/html/wp-includes/class-wpdb.php', 'wordpress-core', 'wordpress'],
    ['/var/www/html/wp-admin/includes/post.php', 'wordpress-core', 'wordpress'],
    ['/srv/app/vendor/guzzlehttp/guzzle/src/Client.php', 'composer-package', 'guzzlehttp/guzzle'],
    ['/srv/app/vendor/laravel/framework/src/Illuminate/Database/Connection.php', 'composer-package', 'laravel/framework'],
    ['/var/www/html/wp-content/plugins/mailer-pro/vendor/guzzlehttp/guzzle/src/Client.php', 'wordpress-plugin', 'mailer-pro'],
    ['/var/www/magento/app/code/Acme/Checkout/Model/Cart.php', 'magento-module', 'Acme_Checkout'],
    ['/var/www/drupal/web/modules/contrib/search_api/src/Query.php', 'drupal-module', 'search_api'],
    ['/var/www/drupal/web/modules/custom/acme_sync/acme_sync.module', 'drupal-module', 'acme_sync'],
    ['/srv/app/app/Http/Controllers/ReportController.php', 'application', 'app/Http'],
    ['/app/src/Service/Exporter.php', 'application', 'src/Service'],
    ['opcache.so', 'php-extension', 'opcache'],
    ['/usr/lib/php/20220829/redis.so', 'php-extension', 'redis'],
  ])('%s → %s %s', (path, kind, name) => {
    expect(culpritOf(path)).toEqual({ kind, name });
  });

  it.each(['/var/www/html/index.php', 'unknown', '', 'libc.so.6', 'php-fpm8.2', '/app/public/index.php'])('%s has no culprit', (path) => {
    expect(culpritOf(path)).toBeUndefined();
  });

  it('handles Windows separators', () => {
    expect(culpritOf('C:\\inetpub\\wwwroot\\wp-content\\plugins\\forms\\form.php')).toEqual({ kind: 'wordpress-plugin', name: 'forms' });
  });
});

describe('culpritOfFrames', () => {
  it('skips WordPress core and takes the plugin below it', () => {
    const frames = [
      { file: '/var/www/html/wp-includes/Requests/src/Transport/Curl.php' },
      { file: '/var/www/html/wp-includes/class-requests.php' },
      { file: '/var/www/html/wp-content/plugins/rss-importer/importer.php' },
      { file: '/var/www/html/wp-settings.php' },
    ];
    expect(culpritOfFrames(frames)).toEqual({ kind: 'wordpress-plugin', name: 'rss-importer', file: '/var/www/html/wp-content/plugins/rss-importer/importer.php' });
  });

  it('skips framework and client-library frames and takes the application', () => {
    const frames = [
      { file: 'unknown' },
      { file: '/srv/app/vendor/guzzlehttp/guzzle/src/Handler/CurlHandler.php' },
      { file: '/srv/app/vendor/laravel/framework/src/Illuminate/Http/Client/PendingRequest.php' },
      { file: '/srv/app/app/Services/PaymentGateway.php' },
      { file: '/srv/app/vendor/symfony/http-kernel/HttpKernel.php' },
    ];
    expect(culpritOfFrames(frames)).toMatchObject({ kind: 'application', name: 'app/Services' });
  });

  it('takes a non-framework package as the culprit', () => {
    expect(culpritOfFrames([{ file: '/srv/app/vendor/dompdf/dompdf/src/Dompdf.php' }, { file: '/srv/app/app/Pdf.php' }])).toMatchObject({
      kind: 'composer-package',
      name: 'dompdf/dompdf',
    });
  });

  it('falls back to the first core frame when nothing else names an owner', () => {
    expect(culpritOfFrames([{ file: '/var/www/html/wp-includes/cron.php' }, { file: '/var/www/html/wp-cron.php' }])).toMatchObject({
      kind: 'wordpress-core',
    });
    expect(culpritOfFrames([{ file: '/var/www/html/index.php' }])).toBeUndefined();
    expect(culpritOfFrames([])).toBeUndefined();
  });
});
