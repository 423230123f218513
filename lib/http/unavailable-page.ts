/**
 * The page the proxy answers with, as a 503, while Directus cannot be reached. It is complete in
 * itself: an App Router page cannot carry a 503 (pages only get 401, 403 and 404), and Next drops a
 * status given to a proxy rewrite. The look follows the app's AuthCard; its one style block carries
 * the request's CSP nonce, and it runs no script. Its colours are the app's (lib/theme-colors.json,
 * copied from app/globals.css), in both schemes.
 */
import themeColors from "@/lib/theme-colors.json";

type Palette = (typeof themeColors)["light"];

/** The app's colours (app/globals.css, copied by `npm run theme`) as CSS custom properties. */
function colorVariables(palette: Palette): string {
  return Object.entries(palette)
    .map(([name, value]) => `--${name}:${value}`)
    .join(";");
}

const STYLE = `
:root{color-scheme:light dark;${colorVariables(themeColors.light)}}
@media (prefers-color-scheme:dark){:root{${colorVariables(themeColors.dark)}}}
*,*::before,*::after{box-sizing:border-box}
body{margin:0;min-height:100dvh;display:flex;align-items:center;justify-content:center;padding:3rem 1rem;
background:var(--canvas) radial-gradient(ellipse 80% 50% at 50% -10%,var(--wash),transparent 70%) no-repeat;
color:var(--fg);font:16px/1.5 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;
-webkit-font-smoothing:antialiased}
main{width:100%;max-width:420px;text-align:center;padding:2rem;background:var(--surface);border:1px solid var(--border);
border-radius:1rem;box-shadow:0 1px 2px rgb(0 0 0/.04),0 12px 32px -16px rgb(0 0 0/.16)}
.name{margin:0 0 1.25rem;font-size:.875rem;font-weight:600;color:var(--fg-muted)}
.icon{margin:0 auto 1.25rem;width:3rem;height:3rem;display:flex;align-items:center;justify-content:center;border-radius:9999px;
background:var(--warning-soft);color:var(--warning);box-shadow:0 0 0 8px var(--warning-soft)}
h1{margin:0;font-size:1.25rem;line-height:1.75rem;font-weight:600;letter-spacing:-.01em;color:var(--fg)}
p{margin:.5rem 0 1.75rem;font-size:.875rem;line-height:1.5rem;color:var(--fg-muted)}
a{display:flex;height:2.75rem;align-items:center;justify-content:center;border-radius:.5rem;background:var(--brand);color:var(--on-brand);
font-size:.875rem;font-weight:500;text-decoration:none}
a:hover{background:var(--brand-hover)}a:focus-visible{outline:2px solid var(--brand-text);outline-offset:2px}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * `retryPath` is the address the visitor asked for; "Try again" loads it afresh. `appName` is the
 * product's name (APP_NAME), as the app's own pages show it.
 */
export function unavailablePage({
  nonce,
  retryPath,
  appName,
}: {
  /** This answer's CSP nonce, as the door set it; without it the policy blocks the page's style. */
  nonce: string | undefined;
  retryPath: string;
  appName: string;
}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Temporarily unavailable · ${escapeHtml(appName)}</title>
<style${nonce ? ` nonce="${escapeHtml(nonce)}"` : ""}>${STYLE}</style>
</head>
<body>
<main>
<p class="name">${escapeHtml(appName)}</p>
<div class="icon"><svg aria-hidden="true" width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round"><path d="M12 6v6h4.5m4.5 0a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z"/></svg></div>
<h1>Temporarily unavailable</h1>
<p>Our account service can't be reached right now. This is on our side, and if you were signed in, you still are. Please try again in a minute.</p>
<a href="${escapeHtml(retryPath)}">Try again</a>
</main>
</body>
</html>`;
}
