/**
 * Shared class lists for text inputs and buttons, in the theme's colours (app/globals.css). 16px text
 * on phones stops iOS Safari from zooming on focus; the ring, not the border alone, carries focus so
 * it stays visible on any background.
 */
const base =
  "block w-full h-11 sm:h-10 rounded-lg border bg-surface px-3 text-base sm:text-sm text-fg shadow-xs " +
  "placeholder:text-fg-subtle outline-none transition-[border-color,box-shadow] duration-150 " +
  "focus:ring-3 disabled:cursor-not-allowed disabled:bg-surface-muted disabled:text-fg-subtle";

const valid =
  "border-border-input hover:border-fg-subtle focus:border-brand-text focus:ring-brand-text/35";
const invalid = "border-danger focus:border-danger focus:ring-danger/35";

export function inputClassName(isInvalid: boolean, extra = ""): string {
  return `${base} ${isInvalid ? invalid : valid}${extra ? ` ${extra}` : ""}`;
}

/** Phones get 44px touch targets; pointer screens the denser 40px. */
export const controlHeightClassName = "h-11 sm:h-10";

/** The focus outline every button and link shares. */
const focusOutline =
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-text";

export const primaryButtonClassName =
  "inline-flex h-11 sm:h-10 w-full items-center justify-center gap-2 rounded-lg bg-brand px-4 text-sm " +
  `font-medium text-on-brand shadow-xs transition-colors hover:bg-brand-hover ${focusOutline} ` +
  "disabled:cursor-not-allowed disabled:bg-brand/70";

/** Without a height: used both full size (with controlHeightClassName) and in the compact header. */
export const secondaryButtonClassName =
  "inline-flex items-center justify-center gap-2 rounded-lg border border-border-input bg-surface px-4 " +
  `text-sm font-medium text-fg shadow-xs transition-colors hover:bg-surface-muted ${focusOutline} ` +
  "disabled:cursor-not-allowed disabled:opacity-60";

export const textLinkClassName =
  "font-medium text-brand-text underline-offset-4 hover:text-brand-text-hover hover:underline " +
  `focus-visible:rounded-sm ${focusOutline}`;

/** The icon button inside a field's right edge (show or hide a password). */
export const fieldIconButtonClassName =
  "absolute inset-y-0 right-0 flex w-11 items-center justify-center rounded-r-lg text-fg-subtle " +
  "transition-colors hover:text-fg focus-visible:outline-2 focus-visible:-outline-offset-2 " +
  "focus-visible:outline-brand-text";
