/**
 * The Content-Security-Policy: everything the app and tldraw need comes from this server.
 * tldraw draws with inline style attributes (style-src 'unsafe-inline'), renders exports and
 * images through blob: and data: URLs, and its fonts, icons and translations are served here from
 * @tldraw/assets. WebSockets go to the same host ('self' covers ws:/wss: of it in current browsers).
 * No framing by other sites (clickjacking), no plugins, no foreign form targets.
 */
export function contentSecurityPolicy(): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'media-src': ["'self'", 'data:', 'blob:'],
    'connect-src': ["'self'", 'blob:', 'data:'],
    'worker-src': ["'self'", 'blob:'],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
  }
}
