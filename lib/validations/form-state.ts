import type { FormResult } from "./auth";

/**
 * What a form's Server Action hands back to the form (React's `useActionState`), and so what a page
 * rendered after a post without JavaScript shows: the answer, the fields to show again, and what to
 * do next. Browser-safe: the form reads it.
 */
export interface FormState {
  /** The status the same answer has on the JSON routes; 0 before anything was sent. */
  status: number;
  result: FormResult | null;
  /** What was typed, to fill the form again. Never a password. */
  values: Record<string, string>;
  /** The form is done: show this panel instead of it, naming the address the mail went to. */
  panel?: { kind: "check-inbox" | "reset-link-sent"; email: string };
  /** The form is done: go here with a full page load (only sent to the enhanced form). */
  goTo?: string;
}

export const INITIAL_FORM_STATE: FormState = { status: 0, result: null, values: {} };
