import "server-only";
import type { ZxcvbnFactory } from "@zxcvbn-ts/core";

/**
 * Refuses passwords an attacker would try early: common and breached ones, keyboard rows, repeats,
 * sequences, dates, single dictionary words and the customer's own name or email (NIST SP 800-63B
 * 5.1.1.2 "blocklist"). zxcvbn-ts estimates how many guesses a cracker needs, offline, from the
 * password lists and dictionaries its packages ship; nothing leaves the server.
 *
 * Server-only on purpose: the dictionaries are 1.6 MB, so the browser never gets them (the form
 * checks length instantly, this check answers on submit), and they load on the first check, not at
 * start-up. Every form that sets a password calls this after its schema and before Directus.
 *
 * The check depends on the password and what the form itself holds (email, names), never on whether
 * an account exists, so its answer and its time tell nothing about accounts.
 */

/**
 * zxcvbn's top score, 4: at least 10^10 guesses, "strong protection from an offline slow-hash attack".
 * Score 3 (10^8) lets any three guessable pieces through ("Summer2024!!", the customer's own names
 * and birth year); three or four ordinary words still pass 4 easily ("correct horse battery").
 */
const MIN_SCORE = 4;

/**
 * Only the first 64 characters are scored: past that a password is strong unless those 64 are not,
 * and scoring all 256 an attacker may send costs seconds of CPU (l33t variants of every substring).
 */
const SCORED_LENGTH = 64;
/**
 * Caps the l33t variants tried per password. The default (100) made one long password cost seconds
 * here; 10 still sees through the usual substitutions ("P@ssw0rd2024!").
 */
const L33T_MAX_SUBSTITUTIONS = 10;

export type PasswordStrength = { kind: "strong" } | { kind: "weak"; message: string };

let factory: Promise<ZxcvbnFactory> | undefined;

function loadFactory(): Promise<ZxcvbnFactory> {
  factory ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    // No translations: feedback comes back as stable keys, which we word ourselves (see REASONS).
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      maxLength: SCORED_LENGTH,
      l33tMaxSubstitutions: L33T_MAX_SUBSTITUTIONS,
    });
  })();
  // A failed load (a missing package) is retried by the next check instead of being cached.
  factory.catch(() => {
    factory = undefined;
  });
  return factory;
}

/** zxcvbn's warning keys, in the app's words: why this password is easy to guess. */
const REASONS: Record<string, string> = {
  topTen: "It is one of the most used passwords.",
  topHundred: "It is one of the most used passwords.",
  common: "It is on lists of common and leaked passwords.",
  similarToCommon: "It is too close to a common or leaked password.",
  pwned: "It is on lists of common and leaked passwords.",
  straightRow: "Rows of keys on a keyboard are easy to guess.",
  keyPattern: "Keyboard patterns are easy to guess.",
  simpleRepeat: "Repeated characters are easy to guess.",
  extendedRepeat: "Repeated patterns are easy to guess.",
  sequences: "Sequences like abc or 1234 are easy to guess.",
  recentYears: "Recent years are easy to guess.",
  dates: "Dates are easy to guess.",
  wordByItself: "A single word is easy to guess.",
  namesByThemselves: "Names are easy to guess.",
  commonNames: "Common names are easy to guess.",
  userInputs: "It contains your name or email address.",
};

const ADVICE = "Try a few unrelated words together.";

/** What the form knows about the customer, split the way people reuse it ("ada.lovelace" → ada, lovelace). */
function personalWords(inputs: Array<string | undefined>): string[] {
  const words = new Set<string>();
  for (const input of inputs) {
    const value = input?.trim().toLowerCase();
    if (!value) continue;
    words.add(value);
    const [local, domain] = value.split("@");
    if (local) words.add(local);
    if (domain) words.add(domain.split(".")[0] ?? "");
    for (const part of value.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) words.add(part);
  }
  words.delete("");
  return [...words];
}

/**
 * @param password the normalised password the form will send to Directus
 * @param personal the email and names the customer typed (or the account's email), so a password built
 *   from them is refused
 */
export async function checkPasswordStrength(
  password: string,
  personal: Array<string | undefined> = [],
): Promise<PasswordStrength> {
  const zxcvbn = await loadFactory();
  const result = zxcvbn.check(password, personalWords(personal));
  if (result.score >= MIN_SCORE) return { kind: "strong" };
  // zxcvbn names personal words only when they are the whole password; say it whenever they helped.
  const personalMatch = result.sequence.some((m) => m.dictionaryName === "userInputs");
  const warning = personalMatch ? "userInputs" : result.feedback.warning;
  const reason = (warning && REASONS[warning]) ?? "";
  return {
    kind: "weak",
    message: `This password is too easy to guess. ${reason ? `${reason} ` : ""}${ADVICE}`,
  };
}
