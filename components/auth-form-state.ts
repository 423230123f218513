import type { FieldName, VariantSpec } from "@/components/auth-form-variants";
import type { AuthSuccess } from "@/components/auth-success-panel";
import type { FormState } from "@/lib/validations/form-state";

/**
 * The auth form's pure parts: what it shows for a state its Server Action handed back. No React and
 * no zod here (the schema check is auth-form-check.ts, loaded once someone uses the form).
 */

export type Values = Partial<Record<FieldName, string>>;
export type FieldErrors = Partial<Record<FieldName, string>>;

export interface FormMessage {
  text: string;
  help?: { href: string; label: string } | undefined;
}

export function emptyValues(spec: VariantSpec): Values {
  return Object.fromEntries(spec.fields.map((f) => [f.name, ""]));
}

function isFieldName(spec: VariantSpec, key: string): key is FieldName {
  return spec.fields.some((f) => f.name === key);
}

/** Splits zod's or the server's errors into per-field messages (first one wins) and the rest. */
export function splitErrors(spec: VariantSpec, errors: Record<string, string[] | undefined>) {
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

export function clearPasswords(spec: VariantSpec, values: Values): Values {
  const next = { ...values };
  for (const f of spec.fields) if (f.type === "password") next[f.name] = "";
  return next;
}

export function focusField(id: string) {
  document.getElementById(id)?.focus();
}

export function shownFor(spec: VariantSpec, state: FormState) {
  const failed = state.result && !state.result.ok ? state.result : null;
  const { fields, other } = splitErrors(spec, failed?.fieldErrors ?? {});
  const message: FormMessage | null = failed
    ? { text: [failed.message, ...other].join(" "), help: spec.helpFor?.[state.status] }
    : null;
  const success: AuthSuccess | null = state.panel
    ? { panel: state.panel.kind, email: state.panel.email }
    : null;
  return { fieldErrors: fields, message, success };
}

/** Only this form's own fields, and never a password, from what the server sent back. */
export function pickFields(spec: VariantSpec, sent: Record<string, string>): Values {
  const picked: Values = {};
  for (const f of spec.fields) {
    const value = sent[f.name];
    if (f.type !== "password" && typeof value === "string") picked[f.name] = value;
  }
  return picked;
}
