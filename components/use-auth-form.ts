// First, before any zod schema exists: no eval-based JIT under the CSP (see the module).
import "@/lib/validations/zod-jitless";
import { signIn } from "next-auth/react";
import type { SignInResponse } from "next-auth/react";
import { useEffect, useId, useRef, useState } from "react";
import type { ChangeEvent, FormEvent } from "react";
import * as z from "zod/mini";
import { AUTH_VARIANTS } from "@/components/auth-form-variants";
import type { FieldName, FieldSpec, VariantSpec } from "@/components/auth-form-variants";
import type { AuthSuccess } from "@/components/auth-success-panel";
import { NETWORK_ERROR_MESSAGE, leavePageFor, postForm } from "@/components/form-request";
import type { FormResult } from "@/lib/validations/auth";
import { safeCallbackPath } from "@/lib/validations/callback-path";
import { loginErrorMessage } from "@/lib/validations/login-errors";

export type AuthFormProps =
  | { variant: "login"; callbackUrl?: string | undefined; email?: string | undefined }
  | { variant: "register"; passwordMinLength: number }
  | { variant: "forgot-password" }
  | { variant: "reset-password"; passwordMinLength: number; token: string };

type Values = Partial<Record<FieldName, string>>;
type FieldErrors = Partial<Record<FieldName, string>>;

export interface FormMessage {
  text: string;
  help?: { href: string; label: string } | undefined;
}

const SIGN_IN_FALLBACK_MESSAGE = "We couldn't sign you in. Try again.";

const RESEND_LINK_HELP = {
  href: "/resend-confirmation",
  label: "Registered but not confirmed yet? Send the link again",
};

function emptyValues(spec: VariantSpec): Values {
  return Object.fromEntries(spec.fields.map((f) => [f.name, ""]));
}

function isFieldName(spec: VariantSpec, key: string): key is FieldName {
  return spec.fields.some((f) => f.name === key);
}

/** Splits zod's or the server's errors into per-field messages (first one wins) and the rest. */
function splitErrors(spec: VariantSpec, errors: Record<string, string[] | undefined>) {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const [key, messages] of Object.entries(errors)) {
    const first = messages?.[0];
    if (!first) continue;
    if (isFieldName(spec, key)) fields[key] = first;
    else other.push(first);
  }
  return { fields, other };
}

function validate(spec: VariantSpec, passwordMinLength: number, input: Record<string, string>) {
  const parsed = spec.schema(passwordMinLength).safeParse(input);
  if (parsed.success) return { ok: true as const, data: parsed.data };
  const flat = z.flattenError(parsed.error);
  const { fields, other } = splitErrors(spec, flat.fieldErrors);
  return { ok: false as const, fields, other: [...flat.formErrors, ...other] };
}

function clearPasswords(spec: VariantSpec, values: Values): Values {
  const next = { ...values };
  for (const f of spec.fields) if (f.type === "password") next[f.name] = "";
  return next;
}

function focusField(id: string) {
  document.getElementById(id)?.focus();
}

/**
 * Everything the auth form does, for every variant: its values, validation with the shared schema,
 * the two ways of submitting (next-auth's credentials sign-in, or our JSON routes), what success does,
 * and where focus goes after each change. AuthForm only renders what this returns.
 */
export function useAuthForm(props: AuthFormProps) {
  const spec = AUTH_VARIANTS[props.variant];
  const passwordMinLength = "passwordMinLength" in props ? props.passwordMinLength : 0;
  const uid = useId();
  const idFor = (name: FieldName) => `${uid}-${name}`;

  const [values, setValues] = useState<Values>(() => ({
    ...emptyValues(spec),
    // Right after confirming, the sign-in form already knows who is signing in.
    ...(props.variant === "login" && props.email ? { email: props.email } : {}),
  }));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [pending, setPending] = useState(false);
  const [success, setSuccess] = useState<AuthSuccess | null>(null);
  // A ref as well as state: a second Enter press can arrive before React re-renders the disabled button.
  const inFlight = useRef(false);
  const successHeading = useRef<HTMLHeadingElement>(null);
  const startedOver = useRef(false);

  useEffect(() => {
    // Whatever had focus was just removed from the page; put focus (and the screen reader) on what
    // replaced it: the success panel, or the form again after "Use a different email".
    if (success) {
      successHeading.current?.focus();
    } else if (startedOver.current) {
      startedOver.current = false;
      const first = spec.fields[0];
      if (first) focusField(`${uid}-${first.name}`);
    }
  }, [success, spec, uid]);

  function input(current: Values): Record<string, string> {
    const base: Record<string, string> = {};
    for (const f of spec.fields) base[f.name] = current[f.name] ?? "";
    return props.variant === "reset-password" ? { ...base, token: props.token } : base;
  }

  function recheck(name: FieldName, current: Values) {
    const result = validate(spec, passwordMinLength, input(current));
    const error = result.ok ? undefined : result.fields[name];
    setFieldErrors((prev) => ({ ...prev, [name]: error }));
  }

  function handleChange(name: FieldName) {
    return (event: ChangeEvent<HTMLInputElement>) => {
      const next = { ...values, [name]: event.target.value };
      setValues(next);
      // Once a field shows an error, let it clear the moment the value becomes valid.
      if (fieldErrors[name]) recheck(name, next);
    };
  }

  function handleBlur(field: FieldSpec) {
    return () => {
      // Early feedback for names and email; passwords wait for submit so that clicking "Show
      // password" halfway through typing does not flag an unfinished value.
      if (field.type === "password" || !values[field.name]) return;
      recheck(field.name, values);
    };
  }

  function fail(
    result: Extract<FormResult, { ok: false }>,
    status: number,
    extraHelp?: FormMessage["help"],
  ) {
    const { fields, other } = splitErrors(spec, result.fieldErrors ?? {});
    const help = extraHelp ?? (status === 400 ? spec.spentLinkHelp : undefined);
    setValues((v) => clearPasswords(spec, v));
    setFieldErrors(fields);
    setMessage({ text: [result.message, ...other].join(" "), help });
    setPending(false);
    inFlight.current = false;
    const firstInvalid = spec.fields.find((f) => fields[f.name]);
    const firstPassword = spec.fields.find((f) => f.type === "password");
    const target = firstInvalid ?? firstPassword;
    if (target) focusField(idFor(target.name));
  }

  async function submitSignIn(data: Record<string, unknown>) {
    const callbackUrl = props.variant === "login" ? props.callbackUrl : undefined;
    let res: SignInResponse | undefined;
    try {
      res = await signIn<"credentials">("credentials", { ...data, redirect: false });
    } catch {
      fail({ ok: false, message: NETWORK_ERROR_MESSAGE }, 0);
      return;
    }
    // next-auth v4 answers a rejected sign-in with ok: true and an error code, so check both.
    if (res?.ok && !res.error) {
      leavePageFor(safeCallbackPath(callbackUrl, window.location.origin));
      return;
    }
    fail(
      { ok: false, message: loginErrorMessage(res?.error) ?? SIGN_IN_FALLBACK_MESSAGE },
      res?.status ?? 0,
      // Refusing an unconfirmed account looks exactly like a wrong password, so every failed
      // sign-in offers the confirmation link again.
      res?.error === "CredentialsSignin" ? RESEND_LINK_HELP : undefined,
    );
  }

  async function submitJson(endpoint: string, data: Record<string, unknown>) {
    const { status, result } = await postForm(endpoint, data);
    if (!result.ok) {
      fail(result, status);
      return;
    }
    const action = spec.success;
    if (action.kind === "go-to") {
      leavePageFor(action.path);
      return;
    }
    if (action.kind === "panel") {
      setSuccess({ panel: action.panel, email: typeof data.email === "string" ? data.email : "" });
      setValues(emptyValues(spec));
    }
    setPending(false);
    inFlight.current = false;
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;

    const checked = validate(spec, passwordMinLength, input(values));
    if (!checked.ok) {
      setFieldErrors(checked.fields);
      setMessage(checked.other.length > 0 ? { text: checked.other.join(" ") } : null);
      const firstInvalid = spec.fields.find((f) => checked.fields[f.name]);
      if (firstInvalid) focusField(idFor(firstInvalid.name));
      return;
    }

    inFlight.current = true;
    setPending(true);
    setFieldErrors({});
    setMessage(null);
    // Successful navigations keep the form pending on purpose: the page is about to be replaced.
    if (spec.submit.kind === "next-auth-credentials") await submitSignIn(checked.data);
    else await submitJson(spec.submit.endpoint, checked.data);
  }

  function startOver() {
    startedOver.current = true;
    setSuccess(null);
    setMessage(null);
  }

  return {
    spec,
    passwordMinLength,
    idFor,
    values,
    fieldErrors,
    message,
    pending,
    success,
    successHeading,
    handleChange,
    handleBlur,
    handleSubmit,
    startOver,
  };
}
