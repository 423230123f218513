/**
 * Reads the app's colours out of app/globals.css, the one place they are defined: the `--color-*`
 * tokens of its `@theme` block (the light scheme) and of the `:root` inside its
 * `@media (prefers-color-scheme: dark)` block (the dark scheme). Only hex values are accepted, because
 * the emails that reuse them are read by mail clients that know nothing newer.
 */

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** The text inside the braces that open at or after `from`. */
function blockAfter(css, from, what) {
  const open = css.indexOf("{", from);
  if (from < 0 || open < 0) throw new Error(`app/globals.css has no ${what} block`);
  let depth = 0;
  for (let i = open; i < css.length; i++) {
    if (css[i] === "{") depth++;
    else if (css[i] === "}" && --depth === 0) return css.slice(open + 1, i);
  }
  throw new Error(`app/globals.css: the ${what} block is not closed`);
}

/** `--color-name: value;` declarations of one block (not of blocks nested in it), as { name: value }. */
function colorTokens(block, what) {
  const tokens = {};
  const withoutComments = block.replace(/\/\*[\s\S]*?\*\//g, "");
  for (const [, name, value] of withoutComments.matchAll(/--color-([a-z0-9-]+)\s*:\s*([^;]+);/g)) {
    const v = value.trim();
    if (!HEX.test(v))
      throw new Error(`app/globals.css ${what}: --color-${name} must be a hex colour, not ${v}`);
    tokens[name] = v.toLowerCase();
  }
  return tokens;
}

/**
 * @param {string} css  the text of app/globals.css
 * @returns {{ light: Record<string, string>, dark: Record<string, string> }}
 */
export function readThemeColors(css) {
  const light = colorTokens(blockAfter(css, css.search(/@theme\s*\{/), "@theme"), "@theme");
  const media = blockAfter(
    css,
    css.search(/@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)\s*\{/),
    "dark-scheme @media",
  );
  const dark = colorTokens(
    blockAfter(media, media.search(/:root\s*\{/), "dark :root"),
    "dark :root",
  );
  const missing = Object.keys(light).filter((name) => !(name in dark));
  const extra = Object.keys(dark).filter((name) => !(name in light));
  if (missing.length + extra.length > 0)
    throw new Error(
      `app/globals.css: the dark scheme must set exactly the light scheme's colours (missing: ${missing.join(", ") || "none"}; unknown: ${extra.join(", ") || "none"})`,
    );
  return { light, dark };
}
