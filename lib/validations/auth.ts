import * as z from "zod/mini";

/**
 * One schema per form, shared by the browser (instant feedback) and the server (the check that counts).
 * Written with `zod/mini`: the same checks and messages as classic zod, but tree-shakeable, so the
 * sign-in and register pages ship a few kB of it instead of all of zod (see bench/README.md).
 * Password rules follow NIST SP 800-63B: a minimum length, a generous maximum, no composition rules,
 * any Unicode. The minimum is configurable (PASSWORD_MIN_LENGTH), so schemas that set a password are
 * built from it; pages pass the server's value down to the form.
 */
export const PASSWORD_MAX_LENGTH = 256;
/** Directus's first_name and last_name columns are varchar(50): Postgres refuses longer ones. */
export const NAME_MAX_LENGTH = 50;
export const EMAIL_MAX_LENGTH = 254;

// C0/C1 control characters and the Unicode line/paragraph separators; never valid in a name.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/*
 * Names are shown back to people (the account page, the admin console, any mail that greets by name),
 * and a registration form is a way to put text in front of anyone: whoever registers chooses both the
 * name and the address that gets the mail. So a name may not carry what turns text into a lure: a
 * link, an email address, a phone number. (The confirmation mail prints no name at all.)
 */
// A URL scheme ("https://", "hxxp://"), or a dot (also the full-width and ideographic ones mail
// clients may link) between a letter or digit and two letters: "evil.example/unlock", "www.x",
// "xn--…". It also catches "Dr.Smith"; the message says to add a space.
const WEB_ADDRESS = /:\/\/|[\p{L}\p{N}_-][.\uff0e\u3002\uff61](?:\p{L}{2}|xn--)/iu;
// Any "@": no name needs one, and with one a name can pass for an address ("help@evil.example").
const EMAIL_SIGN = /[@\uff20]/u;
// Five digits or more, counting across the spaces, dots, dashes, slashes and brackets that phone
// numbers are written with ("+1 555 0100"). Any script's digits count, full-width ones too.
const LONG_NUMBER = /\p{Nd}(?:[\s().\/+-]*\p{Nd}){4}/u;

export const emailSchema = z.pipe(
  z
    .string({ error: "Enter your email address." })
    .check(
      z.trim(),
      z.toLowerCase(),
      z.minLength(1, "Enter your email address."),
      z.maxLength(EMAIL_MAX_LENGTH, "That email address is too long."),
    ),
  z.email({ error: "Enter a valid email address, like name@example.com." }),
);

export function newPasswordSchema(minLength: number) {
  return z.string({ error: "Choose a password." }).check(
    z.refine((p) => [...p].length >= minLength, `Use at least ${minLength} characters.`),
    z.refine(
      (p) => [...p].length <= PASSWORD_MAX_LENGTH,
      `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
    ),
  );
}

function nameSchema(label: string) {
  return z.string({ error: `Enter your ${label}.` }).check(
    z.trim(),
    z.minLength(1, `Enter your ${label}.`),
    z.maxLength(NAME_MAX_LENGTH, `Your ${label} can be at most ${NAME_MAX_LENGTH} characters.`),
    z.refine((s) => !CONTROL_CHARS.test(s), `Your ${label} contains characters we can't accept.`),
    z.refine(
      // An email address has a domain too: it gets the email message alone.
      (s) => EMAIL_SIGN.test(s) || !WEB_ADDRESS.test(s),
      `Your ${label} can't contain a web address. If it has a dot, put a space after it.`,
    ),
    z.refine((s) => !EMAIL_SIGN.test(s), `Your ${label} can't contain an email address or @.`),
    z.refine(
      (s) => !LONG_NUMBER.test(s),
      `Your ${label} can't contain a phone number or a number of 5 digits or more.`,
    ),
  );
}

export function registerSchema(passwordMinLength: number) {
  return z.strictObject({
    first_name: nameSchema("first name"),
    last_name: nameSchema("last name"),
    email: emailSchema,
    password: newPasswordSchema(passwordMinLength),
  });
}

export const loginSchema = z.strictObject({
  email: emailSchema,
  // Sign-in never judges a password's strength: old passwords may predate today's rules.
  password: z
    .string({ error: "Enter your password." })
    .check(
      z.minLength(1, "Enter your password."),
      z.maxLength(PASSWORD_MAX_LENGTH, "That password is too long."),
    ),
});

export const forgotPasswordSchema = z.strictObject({ email: emailSchema });

/** What the person types on the reset page; the token travels separately (a cookie). */
export function newPasswordFormSchema(passwordMinLength: number) {
  return z.strictObject({ password: newPasswordSchema(passwordMinLength) });
}

export function resetPasswordSchema(passwordMinLength: number) {
  return z.strictObject({
    token: z
      .string()
      .check(
        z.minLength(1, "This reset link is incomplete."),
        z.maxLength(2048, "This reset link is invalid."),
      ),
    password: newPasswordSchema(passwordMinLength),
  });
}

export type RegisterInput = z.infer<ReturnType<typeof registerSchema>>;
export type LoginInput = z.infer<typeof loginSchema>;
export type ForgotPasswordInput = z.infer<typeof forgotPasswordSchema>;
export type ResetPasswordInput = z.infer<ReturnType<typeof resetPasswordSchema>>;

/**
 * What every auth endpoint answers and every form shows: a small result, never a backend error.
 * `fieldErrors` keys are the form's field names.
 */
export type FormResult =
  | { ok: true; message?: string }
  | { ok: false; message: string; fieldErrors?: Record<string, string[]> };
