"use client";

// First, before any zod schema exists: no eval-based JIT under the CSP (see the module).
import "@/lib/validations/zod-jitless";
import Link from "next/link";
import { signIn } from "next-auth/react";
import type { SignInResponse } from "next-auth/react";
import { useEffect, useId, useRef, useState } from "react";
import type { ChangeEvent, FormEvent, ReactNode, RefObject } from "react";
import * as z from "zod/mini";
import { AUTH_VARIANTS, passwordHint } from "@/components/auth-form-variants";
import type { FieldName, FieldSpec, VariantSpec } from "@/components/auth-form-variants";
import {
  controlHeightClassName,
  inputClassName,
  primaryButtonClassName,
  secondaryButtonClassName,
  textLinkClassName,
} from "@/components/field-styles";
import { NETWORK_ERROR_MESSAGE, leavePageFor, postForm } from "@/components/form-request";
import { EmailAddress } from "@/components/email-address";
import { Notice } from "@/components/notice";
import { PasswordInput } from "@/components/password-input";
import { ResendLinkForm } from "@/components/resend-link-form";
import { loginErrorMessage } from "@/lib/validations/login-errors";
import type { FormResult } from "@/lib/validations/auth";
import { safeCallbackPath } from "@/lib/validations/callback-path";

export type AuthFormProps =
  | { variant: "login"; callbackUrl?: string | undefined; email?: string | undefined }
  | { variant: "register"; passwordMinLength: number }
  | { variant: "forgot-password" }
  | { variant: "reset-password"; passwordMinLength: number; token: string };

type Values = Partial<Record<FieldName, string>>;
type FieldErrors = Partial<Record<FieldName, string>>;

interface FormMessage {
  text: string;
  help?: { href: string; label: string } | undefined;
}

interface Success {
  panel: "check-inbox" | "reset-link-sent";
  email: string;
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
 * The one form behind every auth page. What differs between pages (fields, schema, endpoint, what
 * success looks like) lives in AUTH_VARIANTS; everything about behaviour and accessibility lives here.
 */
export function AuthForm(props: AuthFormProps) {
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
  const [success, setSuccess] = useState<Success | null>(null);
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

  if (success) {
    return (
      <SuccessPanel
        success={success}
        headingRef={successHeading}
        onStartOver={() => {
          startedOver.current = true;
          setSuccess(null);
          setMessage(null);
        }}
      />
    );
  }

  const [firstField, secondField, ...restFields] = spec.fields;
  const renderField = (field: FieldSpec) => (
    <Field
      key={field.name}
      field={field}
      id={idFor(field.name)}
      value={values[field.name] ?? ""}
      error={fieldErrors[field.name]}
      hint={field.autoComplete === "new-password" ? passwordHint(passwordMinLength) : undefined}
      onChange={handleChange(field.name)}
      onBlur={handleBlur(field)}
    />
  );

  return (
    <form noValidate onSubmit={handleSubmit} aria-busy={pending} aria-label={spec.submitLabel}>
      <div className="flex flex-col gap-1.5">
        {spec.pairFirstTwo && firstField && secondField ? (
          <>
            <div className="grid grid-cols-1 gap-x-3 gap-y-1.5 sm:grid-cols-2">
              {renderField(firstField)}
              {renderField(secondField)}
            </div>
            {restFields.map(renderField)}
          </>
        ) : (
          spec.fields.map(renderField)
        )}
      </div>

      <button
        type="submit"
        disabled={pending}
        aria-busy={pending}
        className={`${primaryButtonClassName} mt-2`}
      >
        {pending ? (
          <>
            <Spinner />
            {spec.pendingLabel}
          </>
        ) : (
          spec.submitLabel
        )}
      </button>

      {/* Always in the DOM so assistive technology is already watching it when a message arrives. */}
      <div aria-live="polite" aria-atomic="true">
        {message ? (
          <div className="mt-4">
            <Notice tone="error" role="alert">
              <p>{message.text}</p>
              {message.help ? (
                <p className="mt-1">
                  <Link href={message.help.href} className={textLinkClassName}>
                    {message.help.label}
                  </Link>
                </p>
              ) : null}
            </Notice>
          </div>
        ) : null}
      </div>
    </form>
  );
}

function Field({
  field,
  id,
  value,
  error,
  hint,
  onChange,
  onBlur,
}: {
  field: FieldSpec;
  id: string;
  value: string;
  error: string | undefined;
  hint: string | undefined;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  onBlur: () => void;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const invalid = Boolean(error);

  let control: ReactNode;
  if (field.type === "password") {
    control = (
      <PasswordInput
        id={id}
        name={field.name}
        value={value}
        onChange={onChange}
        onBlur={onBlur}
        autoComplete={field.autoComplete === "new-password" ? "new-password" : "current-password"}
        invalid={invalid}
        describedBy={describedBy}
        required
      />
    );
  } else {
    const isEmail = field.type === "email";
    control = (
      <input
        id={id}
        name={field.name}
        type={field.type}
        value={value}
        onChange={onChange}
        onBlur={onBlur}
        autoComplete={field.autoComplete}
        inputMode={isEmail ? "email" : undefined}
        autoCapitalize={isEmail ? "none" : "words"}
        autoCorrect="off"
        spellCheck={false}
        required
        aria-invalid={invalid}
        aria-describedby={describedBy}
        className={inputClassName(invalid)}
      />
    );
  }

  return (
    <div>
      <label htmlFor={id} className="block text-sm/6 font-medium text-zinc-800">
        {field.label}
      </label>
      <div className="mt-1">{control}</div>
      {hint ? (
        <p id={hintId} className="mt-1.5 text-xs/5 text-zinc-500">
          {hint}
        </p>
      ) : null}
      {/* The slot keeps its height when empty, so an error appearing does not push the form around. */}
      <p id={errorId} className="mt-1 min-h-5 text-xs/5 font-medium text-red-600">
        {error}
      </p>
    </div>
  );
}

function SuccessPanel({
  success,
  headingRef,
  onStartOver,
}: {
  success: Success;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onStartOver: () => void;
}) {
  const email = <EmailAddress address={success.email} className="font-medium text-zinc-900" />;
  return (
    <div data-auth-success className="text-center">
      <div className="mx-auto flex size-12 items-center justify-center rounded-full bg-indigo-50 text-indigo-600 ring-8 ring-indigo-50/50">
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          className="size-6"
        >
          <path
            d="M21.75 6.75v10.5a2.25 2.25 0 0 1-2.25 2.25h-15a2.25 2.25 0 0 1-2.25-2.25V6.75m19.5 0A2.25 2.25 0 0 0 19.5 4.5h-15a2.25 2.25 0 0 0-2.25 2.25m19.5 0v.24a2.25 2.25 0 0 1-1.07 1.92l-7.5 4.61a2.25 2.25 0 0 1-2.36 0L3.32 8.91a2.25 2.25 0 0 1-1.07-1.91v-.25"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      </div>
      <h2
        ref={headingRef}
        tabIndex={-1}
        className="mt-5 text-xl/7 font-semibold tracking-tight text-zinc-950 outline-none"
      >
        Check your inbox
      </h2>
      {success.panel === "check-inbox" ? (
        <>
          <p className="mt-2 text-sm/6 text-zinc-600">
            We sent a confirmation link to {email}. Open it and confirm with the password you just
            chose to activate your account.
          </p>
          <p className="mt-4 text-xs/5 text-zinc-500">
            No email after a few minutes? Check your spam folder, or make sure the address is right.
          </p>
          <div className="mt-4">
            <ResendLinkForm email={success.email} />
          </div>
        </>
      ) : (
        <>
          <p className="mt-2 text-sm/6 text-zinc-600">
            If an account exists for {email}, we&apos;ve sent a link to reset its password. The link
            works once.
          </p>
          <button
            type="button"
            onClick={onStartOver}
            className={`${secondaryButtonClassName} ${controlHeightClassName} mt-6 w-full`}
          >
            Use a different email
          </button>
        </>
      )}
    </div>
  );
}

function Spinner() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" className="size-4 animate-spin">
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.25" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}
