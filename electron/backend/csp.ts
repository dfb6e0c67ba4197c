/**
 * The renderer's Content-Security-Policy, shared by the Electron protocol handler, the browser
 * bridge and renderer/index.html (which carries the same text in a meta tag).
 * Scripts only from our own files; no inline scripts or eval. Styles allow inline because React's
 * style props and Monaco's dynamic stylesheets need them. Monaco's workers come from our files or
 * blob: URLs. connect-src 'self' covers the bridge's same-origin WebSocket.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "worker-src 'self' blob:",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
