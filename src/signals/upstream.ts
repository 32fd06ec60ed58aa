// Upstream addresses as nginx, Apache and FPM print them, reduced to one join key.

/**
 * 'fastcgi://unix:/run/php/php8.2-fpm.sock:' → 'unix:/run/php/php8.2-fpm.sock'
 * 'http://10.0.0.5:8080/x?y' → '10.0.0.5:8080'; 'http://backend/v1' → 'backend' (a group name);
 * '/run/php/php8.2-fpm.sock' (Apache AH02454) → 'unix:/run/php/php8.2-fpm.sock'.
 * Values that are already keys ($upstream_addr) come back unchanged.
 */
export function upstreamKeyOf(printed: string): string {
  let s = printed.trim();
  const scheme = s.indexOf('://');
  // a scheme is short and alphabetic; anything else means '://' is part of a path
  if (scheme > 0 && scheme <= 10 && /^[a-z][a-z0-9+.-]*$/i.test(s.slice(0, scheme))) s = s.slice(scheme + 3);
  if (s.startsWith('unix:')) {
    // nginx separates the socket path from the URI with ':' ('unix:/path.sock:/uri'), and prints the
    // separator even without a URI, hence the trailing colon on FastCGI sockets.
    const sep = s.indexOf(':', 5);
    return sep < 0 ? s : s.slice(0, sep);
  }
  if (s.startsWith('/')) return `unix:${s}`;
  let end = s.length;
  const bracket = s.startsWith('[') ? s.indexOf(']') : -1;
  const from = bracket > 0 ? bracket : 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2f /* / */ || c === 0x3f /* ? */ || c === 0x23 /* # */) {
      end = i;
      break;
    }
  }
  return s.slice(0, end);
}
