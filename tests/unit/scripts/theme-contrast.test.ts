/**
 * WCAG AA contrast of the theme's colour pairs, in both schemes: text 4.5:1, field edges and icons
 * 3:1. axe checks the pages it is shown in the e2e suite; this covers every pair, shown or not.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readThemeColors } from "../../../scripts/theme-colors.mjs";

const { light, dark } = readThemeColors(readFileSync("app/globals.css", "utf8"));

function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `top` laid over `under` at `top`'s alpha (#rrggbbaa): the wash at its strongest, on the canvas. */
function blend(top: string, under: string): string {
  const alpha = Number.parseInt(top.slice(7, 9) || "ff", 16) / 255;
  const channel = (i: number) =>
    Math.round(
      Number.parseInt(top.slice(i, i + 2), 16) * alpha +
        Number.parseInt(under.slice(i, i + 2), 16) * (1 - alpha),
    )
      .toString(16)
      .padStart(2, "0");
  return `#${[1, 3, 5].map(channel).join("")}`;
}

for (const colors of [light, dark])
  colors["washed-canvas"] = blend(colors.wash ?? "", colors.canvas ?? "");

const backgrounds = ["canvas", "washed-canvas", "surface", "surface-muted"];
/** [foreground, backgrounds, minimum ratio] */
const pairs: Array<[string, string[], number]> = [
  ["fg", backgrounds, 4.5],
  ["fg-muted", backgrounds, 4.5],
  ["fg-subtle", backgrounds, 4.5],
  ["brand-text", [...backgrounds, "brand-soft"], 4.5],
  ["brand-text-hover", backgrounds, 4.5],
  ["on-brand", ["brand", "brand-hover"], 4.5],
  ["danger", ["surface"], 4.5],
  ["danger-text", ["danger-soft"], 4.5],
  ["success-text", ["success-soft"], 4.5],
  ["border-input", ["surface", "canvas"], 3],
  ["brand-text", ["surface"], 3],
  ["danger", ["danger-soft"], 3],
  ["success", ["success-soft"], 3],
  ["warning", ["warning-soft"], 3],
];

describe.each([
  ["light", light],
  ["dark", dark],
])("the %s scheme", (_, colors) => {
  it.each(pairs)("%s on %j reaches %d:1", (fg, bgs, min) => {
    for (const bg of bgs) {
      const ratio = contrast(colors[fg] ?? "", colors[bg] ?? "");
      expect(ratio, `${fg} on ${bg}: ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(min);
    }
  });
});
