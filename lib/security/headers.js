// @ts-check
/**
 * The security headers of every response, built in one place. Plain JavaScript (type-checked) so that
 * any part of the app, TypeScript-compiled or not, can use it.
 *
 * Who sets what:
 * - lib/security/answer-headers.ts, at the Node server's door, on every answer (pages, the proxy's
 *   redirects and 503 page, route handlers, static files): the whole set, with HSTS decided at run
 *   time and, for pages, a fresh nonce in the Content-Security-Policy (Next reads it from the
 *   request's CSP header and puts it on its scripts).
 * - lib/security/runtime.ts, on route handler answers: the API set again, so each is complete by
 *   itself, plus Cache-Control: no-store.
 */

/**
 * The Referrer-Policy of the pages a mailed link with a one-time token opens: no Referer may take
 * the token to anyone. The proxy moves the token out of the address before either page renders
 * (lib/auth/link-token.ts), so what a Referer could carry is the bare path. Both are `same-origin`,
 * not `no-referrer`: their forms are real POSTs (they must work without JavaScript), and from a
 * `no-referrer` page browsers send such a POST with `Origin: null`, which Next's Server Action origin
 * check rightly refuses. Other sites still get no Referer from them.
 */
export const TOKEN_PAGE_REFERRER_POLICY = {
  "/reset-password": "same-origin",
  "/verify-email": "same-origin",
};

/** @param {string} pathname */
function referrerPolicy(pathname) {
  return Object.hasOwn(TOKEN_PAGE_REFERRER_POLICY, pathname)
    ? TOKEN_PAGE_REFERRER_POLICY[/** @type {keyof typeof TOKEN_PAGE_REFERRER_POLICY} */ (pathname)]
    : "strict-origin-when-cross-origin";
}

/** Two years, the preload list's minimum; sent only when the app's public URL is https. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/** JSON and files render nothing: they may load nothing and be framed by no one. */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Powerful features no auth page uses; features Chromium does not know would log console errors. */
const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/**
 * The nonce in a page policy (the request's, as the door set it), or undefined.
 *
 * @param {string | null | undefined} policy
 * @returns {string | undefined}
 */
export function nonceInPolicy(policy) {
  return /'nonce-([A-Za-z0-9+/]+={0,2})'/.exec(policy ?? "")?.[1];
}

/**
 * A fresh, unguessable value for one response: 128 random bits, base64.
 * @returns {string}
 */
export function createNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The page policy. With a nonce, Next's inline bootstrap scripts and the scripts they load run
 * ('strict-dynamic'; 'self' is the fallback of browsers without CSP level 3) and nothing else does.
 * Without one, no inline script runs: the server-rendered HTML and its
 * stylesheet still show. `next dev` needs eval (React's debugging), inline styles injected by its
 * runtime and a websocket for hot reload; production gets none of them.
 *
 * @param {{ nonce?: string | undefined, development?: boolean, https?: boolean }} options
 * @returns {string}
 */
export function contentSecurityPolicy({ nonce, development = false, https = false }) {
  const nonceSource = nonce ? [`'nonce-${nonce}'`] : [];
  /** @type {Array<[string, string[]]>} */
  const directives = [
    ["default-src", ["'self'"]],
    [
      "script-src",
      [
        "'self'",
        ...nonceSource,
        ...(nonce ? ["'strict-dynamic'"] : []),
        ...(development ? ["'unsafe-eval'"] : []),
      ],
    ],
    // A nonce makes browsers ignore 'unsafe-inline', so development gets one or the other.
    ["style-src", ["'self'", ...(development ? ["'unsafe-inline'"] : nonceSource)]],
    ["img-src", ["'self'", "data:"]],
    ["font-src", ["'self'"]],
    ["connect-src", ["'self'", ...(development ? ["ws:"] : [])]],
    ["object-src", ["'none'"]],
    ["base-uri", ["'self'"]],
    ["form-action", ["'self'"]],
    ["frame-ancestors", ["'none'"]],
  ];
  // Over plain http (local runs, the e2e stack) this would send every subresource to an https port.
  if (https) directives.push(["upgrade-insecure-requests", []]);
  return directives.map(([name, sources]) => [name, ...sources].join(" ")).join("; ");
}

/**
 * @param {string} pathname
 * @returns {boolean}
 */
function isApi(pathname) {
  return pathname === "/api" || pathname.startsWith("/api/");
}

/**
 * Every security header for a response to `pathname`.
 *
 * @param {{ pathname: string, https: boolean, development?: boolean, nonce?: string | undefined }} options
 * @returns {Record<string, string>}
 */
export function securityHeaders({ pathname, https, development = false, nonce }) {
  /** @type {Record<string, string>} */
  const headers = {
    "Content-Security-Policy": isApi(pathname)
      ? API_CONTENT_SECURITY_POLICY
      : contentSecurityPolicy({ nonce, development, https }),
    "X-Content-Type-Options": "nosniff",
    // The legacy twin of frame-ancestors, for browsers that predate it.
    "X-Frame-Options": "DENY",
    "Referrer-Policy": referrerPolicy(pathname),
    "Permissions-Policy": PERMISSIONS_POLICY,
    // No other window keeps a handle on ours (sign-in pages opened from a link cannot be scripted).
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  if (https) headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY;
  return headers;
}
