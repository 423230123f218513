/** What Next passes to a page as `searchParams` once awaited. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** A repeated parameter (`?token=a&token=b`) is ambiguous; only the first value counts. */
export function firstParam(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === "" ? undefined : first;
}
