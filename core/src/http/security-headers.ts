import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * What an answer may make a browser do. `api` (JSON, CSV, problem documents): nothing — no script, no
 * style, no frame — should a browser ever render one. `page` (the panels' built UIs): only their own files
 * from their own origin; no inline script, no eval. Styles are `'self'` only: Vite writes the CSS to files,
 * and chart.js sizes its canvases through the CSSOM (`canvas.style.height = …`), which CSP does not govern
 * (only `style` attributes in markup and `<style>` elements need 'unsafe-inline'). `img-src data:` is the
 * admin panel's empty favicon (`data:,`); PNG exports are downloads of blob: URLs, not images, so need
 * nothing. No `upgrade-insecure-requests`: `http://localhost:8080` must keep working, and behind TLS HSTS
 * already keeps the browser on https.
 */
export const contentSecurityPolicies = {
  api: {
    'default-src': ["'none'"],
    'frame-ancestors': ["'none'"],
  },
  page: {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  },
} as const;

export type ContentKind = keyof typeof contentSecurityPolicies;

/**
 * The security headers of every answer, from helmet: a Content-Security-Policy for the kind of content,
 * `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (URLs carry owners and repository
 * names), `X-Frame-Options: DENY` (for browsers without frame-ancestors), helmet's cross-origin isolation
 * headers, and HSTS only on a request that came over TLS (`request.secure`). Modules behind the permission
 * proxy trust no forwarded headers, so they never send HSTS; the proxy believes `X-Forwarded-Proto: https`
 * from its `TRUSTED_PROXIES` (Traefik, which ends TLS) and adds HSTS to its own answers and to everything it
 * forwards. `createServiceApp` sends `api` on everything; a module's page routes add `page` before their
 * handler (`router.get(path, securityHeaders({ content: 'page' }), …)`): the later headers replace the
 * earlier.
 */
export function securityHeaders(options: { content?: ContentKind } = {}): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: contentSecurityPolicies[options.content ?? 'api'],
    },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const strictTransportSecurity = helmet.strictTransportSecurity({
    maxAge: 31_536_000,
    includeSubDomains: true,
  });
  return (request, response, next) => {
    headers(request, response, (error?: unknown) => {
      if (error) next(error);
      else if (request.secure) strictTransportSecurity(request, response, next);
      else next();
    });
  };
}
