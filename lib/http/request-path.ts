/** The path of a raw request target (`/account?tab=1` → `/account`), as a Node server receives it. */
export function requestPath(url: string | undefined): string {
  return (url ?? "/").split("?", 1)[0] ?? "/";
}
