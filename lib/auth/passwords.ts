/**
 * Passwords are compared as Unicode NFKC, as NIST SP 800-63B (5.1.1.2) recommends for verifiers that
 * accept Unicode. The same password typed on another keyboard, operating system or input method can
 * arrive composed ("ä", one code point: NFC) or decomposed ("a" + combining diaeresis: NFD), or, from
 * East Asian input methods, in full-width forms; Directus hashes the exact bytes it gets, so without
 * this the owner would be told their password is wrong. Applied on every path that sends a password to
 * Directus (register, sign-in, reset) before validation, so length rules count the normalised form.
 * The price: passwords set outside this app (an admin typing one in the Directus console) that are not
 * already NFKC cannot be used here; customers' own passwords always went through this.
 */
export function normalisePassword(password: string): string {
  return password.normalize("NFKC");
}

/** An untrusted parsed body with a string `password` field normalised; anything else as it was. */
export function withNormalisedPassword(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const { password } = value as Record<string, unknown>;
  if (typeof password !== "string") return value;
  return { ...value, password: normalisePassword(password) };
}
