/**
 * A request's headers as the server code gets them: a Fetch `Headers` (route handlers, Server
 * Actions) or Node's plain record (next-auth hands `authorize` its request's headers that way).
 */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** One header's value from either shape; repeated headers joined with commas, as `Headers` does. */
export function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(",") : value;
}
