/**
 * A value whose properties can be read by name: an object, not null and not an array. For parsing
 * what arrived from outside (JSON bodies, thrown errors). Browser-safe: imports nothing.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
