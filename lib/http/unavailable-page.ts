/**
 * The page the proxy answers with, as a 503, while Directus cannot be reached. It is complete in
 * itself: an App Router page cannot carry a 503 (pages only get 401, 403 and 404), and Next drops a
 * status given to a proxy rewrite. The look follows the app's AuthCard; its one style block carries
 * the request's CSP nonce, and it runs no script.
 */

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;min-height:100dvh;display:flex;align-items:center;justify-content:center;padding:3rem 1rem;
background:#fafafa radial-gradient(ellipse 80% 50% at 50% -10%,rgb(99 102 241/.07),transparent 70%) no-repeat;
color:#18181b;font:16px/1.5 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;
-webkit-font-smoothing:antialiased}
main{width:100%;max-width:420px;text-align:center;padding:2rem;background:#fff;border:1px solid rgb(228 228 231/.8);
border-radius:1rem;box-shadow:0 1px 2px rgb(0 0 0/.04),0 12px 32px -16px rgb(0 0 0/.16)}
.icon{margin:0 auto 1.25rem;width:3rem;height:3rem;display:flex;align-items:center;justify-content:center;border-radius:9999px;
background:#fffbeb;color:#d97706;box-shadow:0 0 0 8px rgb(255 251 235/.6)}
h1{margin:0;font-size:1.25rem;line-height:1.75rem;font-weight:600;letter-spacing:-.01em;color:#09090b}
p{margin:.5rem 0 1.75rem;font-size:.875rem;line-height:1.5rem;color:#52525b}
a{display:flex;height:2.75rem;align-items:center;justify-content:center;border-radius:.5rem;background:#4f46e5;color:#fff;
font-size:.875rem;font-weight:500;text-decoration:none}
a:hover{background:#4338ca}a:focus-visible{outline:2px solid #4f46e5;outline-offset:2px}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `retryPath` is the address the visitor asked for; "Try again" loads it afresh. */
export function unavailablePage({
  nonce,
  retryPath,
}: {
  nonce: string;
  retryPath: string;
}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Temporarily unavailable · Account</title>
<style nonce="${escapeHtml(nonce)}">${STYLE}</style>
</head>
<body>
<main>
<div class="icon"><svg aria-hidden="true" width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round"><path d="M12 6v6h4.5m4.5 0a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z"/></svg></div>
<h1>Temporarily unavailable</h1>
<p>Our account service can't be reached right now. This is on our side, and if you were signed in, you still are. Please try again in a minute.</p>
<a href="${escapeHtml(retryPath)}">Try again</a>
</main>
</body>
</html>`;
}
