/**
 * The colours live in app/globals.css; the emails and the 503 page read copies made by `npm run theme`.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readThemeColors } from "../../../scripts/theme-colors.mjs";
import { icon, staleFiles } from "../../../scripts/theme.mjs";

const css = `
@theme {
  --font-sans: system-ui;
  /* --color-ignored: red; */
  --color-brand: #4F46E5;
  --color-fg: #111;
}
@media (prefers-color-scheme: dark) {
  :root {
    --color-brand: #818cf8;
    --color-fg: #fafafacc;
  }
}`;

describe("theme colours", () => {
  it("copies of app/globals.css are up to date (run `npm run theme` after changing a colour)", () => {
    expect(staleFiles()).toEqual([]);
  });

  it("draws the tab icon in the light scheme's brand colours", () => {
    const svg = icon({ light: { brand: "#123456", "on-brand": "#fedcba" } });
    expect(svg).toContain('fill="#123456"');
    expect(svg).toContain('stroke="#fedcba"');
    expect(readFileSync("app/icon.svg", "utf8")).toContain(
      `fill="${readThemeColors(readFileSync("app/globals.css", "utf8")).light.brand}"`,
    );
  });

  it("reads the light scheme from @theme and the dark one from its media query", () => {
    expect(readThemeColors(css)).toEqual({
      light: { brand: "#4f46e5", fg: "#111" },
      dark: { brand: "#818cf8", fg: "#fafafacc" },
    });
  });

  it("refuses what mail clients cannot read, and a dark scheme that misses a colour", () => {
    expect(() => readThemeColors(css.replace("#111", "oklch(0.2 0 0)"))).toThrow(/hex colour/);
    expect(() => readThemeColors(css.replace("--color-fg: #fafafacc;", ""))).toThrow(/missing: fg/);
    expect(() => readThemeColors("@theme { --color-fg: #000; }")).toThrow(/dark-scheme/);
  });

  it("the email templates take every colour from the theme", () => {
    for (const name of ["user-registration", "password-reset"]) {
      const template = readFileSync(`directus/templates/${name}.liquid`, "utf8");
      expect(template, name).toContain("{% include 'theme' %}");
      expect(template.match(/#[0-9a-f]{3,8}\b/gi), name).toBeNull();
    }
  });
});
