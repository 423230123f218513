import { useActionState, useEffect, useId, useRef, useState } from "react";
import type { ChangeEvent, FormEvent } from "react";
import { AUTH_VARIANTS } from "@/components/auth-form-variants";
import type { FieldName, FieldSpec } from "@/components/auth-form-variants";
import {
  clearPasswords,
  emptyValues,
  focusField,
  pickFields,
  shownFor,
  type FieldErrors,
  type FormMessage,
  type Values,
} from "@/components/auth-form-state";
import type { AuthSuccess } from "@/components/auth-success-panel";
import { NETWORK_ERROR_MESSAGE, leavePageFor } from "@/components/leave-page";
import { postFormJson } from "@/components/post-form-json";
import type { CheckFields } from "@/components/auth-form-check";
import { INITIAL_FORM_STATE } from "@/lib/validations/form-state";
import type { FormState } from "@/lib/validations/form-state";

/** A form's Server Action (the `actions.ts` beside each page), handed down by its page. */
export type FormAction = (previous: FormState, formData: FormData) => Promise<FormState>;

export type AuthFormProps = { action: FormAction } & (
  | { variant: "login"; callbackUrl?: string | undefined; email?: string | undefined }
  | { variant: "register"; passwordMinLength: number }
  | { variant: "forgot-password" }
  | { variant: "reset-password"; passwordMinLength: number }
);

/**
 * Everything the auth form does, for every variant: its values, validation with the shared schema
 * (auth-form-check.ts, fetched when the form is first focused), posting it to the page's Server
 * Action, what the answer does, and where focus goes after each change. AuthForm only renders what
 * this returns.
 *
 * Two ways in, one answer. Without JavaScript (or before hydration) the browser posts the form itself
 * and the server renders the page again with the action's answer, which `useActionState` hands back
 * here as `posted`. Enhanced, submit checks the fields first and calls the same action directly, or,
 * for a variant with `enhancedPostTo` (sign-in), posts the same fields to that route, which answers
 * the same FormState; either way a failed connection becomes a message instead of an error page.
 */
export function useAuthForm(props: AuthFormProps) {
  const spec = AUTH_VARIANTS[props.variant];
  const passwordMinLength = "passwordMinLength" in props ? props.passwordMinLength : 0;
  const uid = useId();
  const idFor = (name: FieldName) => `${uid}-${name}`;

  const [posted, formAction] = useActionState(props.action, INITIAL_FORM_STATE);
  const shown = shownFor(spec, posted);
  const [values, setValues] = useState<Values>(() => ({
    ...emptyValues(spec),
    // Right after confirming, the sign-in form already knows who is signing in.
    ...(props.variant === "login" && props.email ? { email: props.email } : {}),
    ...pickFields(spec, posted.values),
  }));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>(shown.fieldErrors);
  const [message, setMessage] = useState<FormMessage | null>(shown.message);
  const [pending, setPending] = useState(false);
  const [success, setSuccess] = useState<AuthSuccess | null>(shown.success);
  // A ref as well as state: a second Enter press can arrive before React re-renders the disabled button.
  const inFlight = useRef(false);
  const successHeading = useRef<HTMLHeadingElement>(null);
  const startedOver = useRef(false);
  const lastState = useRef<FormState>(posted);
  const checker = useRef<Promise<CheckFields | null> | null>(null);

  /** The schema check, loaded once. Failing to load it (offline) only skips the browser's check. */
  function loadChecker(): Promise<CheckFields | null> {
    checker.current ??= import("@/components/auth-form-check").then(
      (module) => module.checkFields,
      () => {
        checker.current = null;
        return null;
      },
    );
    return checker.current;
  }

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
    return base;
  }

  async function recheck(name: FieldName, current: Values) {
    const check = await loadChecker();
    if (!check) return;
    const result = check(props.variant, spec, passwordMinLength, input(current));
    const error = result.kind === "valid" ? undefined : result.fields[name];
    setFieldErrors((prev) => ({ ...prev, [name]: error }));
  }

  function handleChange(name: FieldName) {
    return (event: ChangeEvent<HTMLInputElement>) => {
      const next = { ...values, [name]: event.target.value };
      setValues(next);
      // Once a field shows an error, let it clear the moment the value becomes valid.
      if (fieldErrors[name]) void recheck(name, next);
    };
  }

  function handleBlur(field: FieldSpec) {
    return () => {
      // Early feedback for names and email; passwords wait for submit so that clicking "Show
      // password" halfway through typing does not flag an unfinished value.
      if (field.type === "password" || !values[field.name]) return;
      void recheck(field.name, values);
    };
  }

  function settle() {
    setPending(false);
    inFlight.current = false;
  }

  function show(state: FormState) {
    lastState.current = state;
    const next = shownFor(spec, state);
    if (next.success) {
      setSuccess(next.success);
      setValues(emptyValues(spec));
      setFieldErrors({});
      setMessage(null);
      settle();
      return;
    }
    fail(next.fieldErrors, next.message);
  }

  function fail(fields: FieldErrors, failure: FormMessage | null) {
    setValues((v) => clearPasswords(spec, v));
    setFieldErrors(fields);
    setMessage(failure);
    settle();
    const firstInvalid = spec.fields.find((f) => fields[f.name]);
    const firstPassword = spec.fields.find((f) => f.type === "password");
    const target = firstInvalid ?? firstPassword;
    if (target) focusField(idFor(target.name));
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    // The action is called below, after the checks; React does not post a form whose submit was prevented.
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    const formData = new FormData(event.currentTarget);

    // Without the check (it could not be loaded), the server's answer says the same.
    const check = await loadChecker();
    const checked = check?.(props.variant, spec, passwordMinLength, input(values));
    if (checked && checked.kind === "invalid") {
      inFlight.current = false;
      setFieldErrors(checked.fields);
      setMessage(checked.other.length > 0 ? { text: checked.other.join(" ") } : null);
      const firstInvalid = spec.fields.find((f) => checked.fields[f.name]);
      if (firstInvalid) focusField(idFor(firstInvalid.name));
      return;
    }

    setPending(true);
    setFieldErrors({});
    setMessage(null);
    let state: FormState;
    try {
      state = spec.enhancedPostTo
        ? await postFormJson(spec.enhancedPostTo, sentFields(formData))
        : await props.action(lastState.current, formData);
    } catch {
      fail({}, { text: NETWORK_ERROR_MESSAGE });
      return;
    }
    // Leaving keeps the form pending on purpose: the page is about to be replaced.
    if (state.goTo) leavePageFor(state.goTo);
    else show(state);
  }

  /** The form's own fields and the callbackUrl it carries; React's `$ACTION_` fields stay behind. */
  function sentFields(formData: FormData): Record<string, string> {
    const sent: Record<string, string> = {};
    for (const name of [...spec.fields.map((f) => f.name), "callbackUrl"]) {
      const value = formData.get(name);
      if (typeof value === "string") sent[name] = value;
    }
    return sent;
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
    formAction,
    values,
    fieldErrors,
    message,
    pending,
    success,
    successHeading,
    handleChange,
    handleBlur,
    handleSubmit,
    /** Fetches the schema check as soon as someone starts on the form. */
    prepare: () => void loadChecker(),
    startOver,
  };
}
