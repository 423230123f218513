/**
 * Shared class lists for text inputs. 16px text on phones stops iOS Safari from zooming on focus;
 * the ring, not the border alone, carries focus so it stays visible on any background.
 */
const base =
  "block w-full h-11 sm:h-10 rounded-lg border bg-white px-3 text-base sm:text-sm text-zinc-900 shadow-xs " +
  "placeholder:text-zinc-400 outline-none transition-[border-color,box-shadow] duration-150 " +
  "focus:ring-3 disabled:cursor-not-allowed disabled:bg-zinc-50 disabled:text-zinc-500";

const valid =
  "border-zinc-300 hover:border-zinc-400 focus:border-indigo-600 focus:ring-indigo-600/20";
const invalid = "border-red-500 focus:border-red-600 focus:ring-red-600/20";

export function inputClassName(isInvalid: boolean, extra = ""): string {
  return `${base} ${isInvalid ? invalid : valid}${extra ? ` ${extra}` : ""}`;
}

/** Phones get 44px touch targets; pointer screens the denser 40px. */
export const controlHeightClassName = "h-11 sm:h-10";

export const primaryButtonClassName =
  "inline-flex h-11 sm:h-10 w-full items-center justify-center gap-2 rounded-lg bg-indigo-600 px-4 text-sm " +
  "font-medium text-white shadow-xs transition-colors hover:bg-indigo-700 focus-visible:outline-2 " +
  "focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:bg-indigo-600/70";

/** Without a height: used both full size (with controlHeightClassName) and in the compact header. */
export const secondaryButtonClassName =
  "inline-flex items-center justify-center gap-2 rounded-lg border border-zinc-300 bg-white px-4 " +
  "text-sm font-medium text-zinc-900 shadow-xs transition-colors hover:bg-zinc-50 focus-visible:outline-2 " +
  "focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60";

export const textLinkClassName =
  "font-medium text-indigo-600 underline-offset-4 hover:text-indigo-500 hover:underline " +
  "focus-visible:rounded-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";
