import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, vi } from "vitest";
import type { FormState } from "@/lib/validations/form-state";

/** A promise whose settlement the test controls, to observe what the UI shows while a request is in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** One msw server per test file; any request without a handler fails the test. */
export function setupMswServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A form's Server Action as the form sees it: what it was called with, and its answers. */
export function mockAction() {
  return vi.fn<(previous: FormState, formData: FormData) => Promise<FormState>>();
}

/** The state a Server Action returns for a refusal (lib/forms/action-state.ts's stateOf). */
export function refusedState(
  status: number,
  message: string,
  fieldErrors?: Record<string, string[]>,
): FormState {
  return {
    status,
    result: { ok: false, message, ...(fieldErrors ? { fieldErrors } : {}) },
    values: {},
  };
}

/** The fields the form posted, as the action receives them (React's own `$ACTION_` fields aside). */
export function postedFields(action: ReturnType<typeof mockAction>, call = 0) {
  const formData = action.mock.calls[call]?.[1];
  return Object.fromEntries([...(formData?.entries() ?? [])].filter(([k]) => !k.startsWith("$")));
}
