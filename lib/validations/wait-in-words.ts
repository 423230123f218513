/**
 * How long to wait, in words a person reads: minutes up to 90, hours up to 36, then days. Free of
 * server-only imports: the login page and the client form say the same wait as a 429's message.
 */
export function waitInWords(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes === 1) return "a minute";
  if (minutes <= 90) return `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  if (hours <= 36) return `${hours} hours`;
  return `${Math.ceil(hours / 24)} days`;
}
