/**
 * The one place that turns whatever a Directus call threw into the app's small set of failure
 * kinds.
 * Nothing here trusts the error's shape: network failures, timeouts, HTML error pages from a proxy
 * and Directus's own `{ errors: [{ extensions: { code } }] }` all end up as one of these.
 */
import { isRecord } from "@/lib/is-record";

export type DirectusFailureKind =
  /** Wrong password, unknown email, unverified or suspended user: Directus answers all alike. */
  | "invalid_credentials"
  /** A refresh, reset or verification token that is malformed, expired, revoked or already used. */
  | "invalid_token"
  /** Directus refused the action (item missing or not permitted, spent reset token, closed registration). */
  | "forbidden"
  | "invalid_input"
  | "rate_limited"
  /** Network error, timeout or 5xx: nobody's fault but ours, try again later. */
  | "unavailable"
  | "unexpected";

export type DirectusFailure = {
  kind: DirectusFailureKind;
  /** HTTP status, when Directus (or something in front of it) answered at all. */
  status?: number;
  /**
   * Directus's `extensions.code`, e.g. "INVALID_CREDENTIALS", or for a failure without an answer the
   * network's own, e.g. "UND_ERR_SOCKET". Safe to log; never shown to users.
   */
  code?: string;
  /** Directus's `extensions.field` on validation errors, e.g. "password". */
  field?: string;
};

/** fetch itself failed (DNS, refused connection, reset) or our timeout fired before any answer. */
export class DirectusUnreachableError extends Error {
  override name = "DirectusUnreachableError";
}

/** Directus, or a proxy in front of it, answered an error without a JSON body the SDK can read. */
export class DirectusHttpError extends Error {
  override name = "DirectusHttpError";

  constructor(readonly status: number) {
    super(`Directus answered HTTP ${status}`);
  }
}

/**
 * Directus answered a JSON error (4xx) to a call made without the SDK. Shaped like the SDK's own
 * errors (`status`, `errors`), so classifyDirectusError reads both alike.
 */
export class DirectusRefusal extends Error {
  override name = "DirectusRefusal";

  constructor(
    readonly status: number,
    readonly errors: unknown,
  ) {
    super(`Directus refused with HTTP ${status}`);
  }
}

const KIND_BY_CODE: Record<string, DirectusFailureKind> = {
  INVALID_CREDENTIALS: "invalid_credentials",
  USER_SUSPENDED: "invalid_credentials",
  INVALID_OTP: "invalid_credentials",
  INVALID_TOKEN: "invalid_token",
  TOKEN_EXPIRED: "invalid_token",
  FORBIDDEN: "forbidden",
  INVALID_PAYLOAD: "invalid_input",
  INVALID_QUERY: "invalid_input",
  FAILED_VALIDATION: "invalid_input",
  VALUE_TOO_LONG: "invalid_input",
  VALUE_OUT_OF_RANGE: "invalid_input",
  CONTAINS_NULL_VALUES: "invalid_input",
  NOT_NULL_VIOLATION: "invalid_input",
  RECORD_NOT_UNIQUE: "invalid_input",
  UNPROCESSABLE_CONTENT: "invalid_input",
  REQUESTS_EXCEEDED: "rate_limited",
  SERVICE_UNAVAILABLE: "unavailable",
};

function kindForStatus(status: number): DirectusFailureKind {
  if (status === 401) return "invalid_credentials";
  if (status === 403) return "forbidden";
  if (status === 400 || status === 422) return "invalid_input";
  if (status === 429) return "rate_limited";
  if (status === 408 || status >= 500) return "unavailable";
  return "unexpected";
}

function statusOf(error: Record<string, unknown>): number | undefined {
  const response = error.response;
  if (isRecord(response) && typeof response.status === "number") return response.status;
  if (typeof error.status === "number") return error.status;
  return undefined;
}

function firstErrorExtensions(error: Record<string, unknown>): { code?: string; field?: string } {
  const errors = error.errors;
  if (!Array.isArray(errors)) return {};
  const first: unknown = errors[0];
  if (!isRecord(first) || !isRecord(first.extensions)) return {};
  const { code, field } = first.extensions;
  return {
    ...(typeof code === "string" ? { code } : {}),
    ...(typeof field === "string" ? { field } : {}),
  };
}

function isNetworkOrTimeout(error: unknown): boolean {
  if (error instanceof DirectusUnreachableError) return true;
  if (!isRecord(error)) return false;
  // DOMException is not an Error subclass in every runtime, so look at the name only.
  if (error.name === "AbortError" || error.name === "TimeoutError") return true;
  // undici says "fetch failed", browsers and msw "Failed to fetch"; both carry no status.
  return error instanceof TypeError && /fetch|network/i.test(error.message);
}

/**
 * For logs: what the network layer said, e.g. "TimeoutError", "ECONNREFUSED", "UND_ERR_SOCKET". undici
 * nests it (fetch failed → SocketError), so look a few causes deep.
 */
export function networkErrorCode(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 4 && isRecord(current); depth++) {
    if (typeof current.code === "string") return current.code;
    if (current.name === "TimeoutError" || current.name === "AbortError") return current.name;
    current = current.cause;
  }
  return undefined;
}

export function classifyDirectusError(error: unknown): DirectusFailure {
  if (isNetworkOrTimeout(error)) {
    const code = networkErrorCode(error);
    return code === undefined ? { kind: "unavailable" } : { kind: "unavailable", code };
  }
  if (error instanceof DirectusHttpError) {
    return { kind: kindForStatus(error.status), status: error.status };
  }
  if (!isRecord(error)) return { kind: "unexpected" };

  const status = statusOf(error);
  // Not the SDK's isDirectusError: it throws on `{ errors: [] }` or `{ errors: ["text"] }`.
  const { code, field } = firstErrorExtensions(error);
  const byCode = code === undefined ? undefined : KIND_BY_CODE[code];
  const kind = byCode ?? (status === undefined ? "unexpected" : kindForStatus(status));
  return {
    kind,
    ...(status === undefined ? {} : { status }),
    ...(code === undefined ? {} : { code }),
    ...(field === undefined ? {} : { field }),
  };
}

/** Directus judged the request and refused it (4xx other than 429): asking again will not help. */
export function isRefusal(failure: DirectusFailure): boolean {
  const { status } = failure;
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
}

/**
 * Directus no longer accepts this session token, whatever its code: the row is gone
 * (INVALID_CREDENTIALS), the JWT expired (TOKEN_EXPIRED) or is not Directus's own after a SECRET
 * change (INVALID_TOKEN, a 403). No request can use the session any more.
 */
export function isSessionRefused(failure: DirectusFailure): boolean {
  return failure.status === 401 || failure.status === 403;
}

/** For logs: the kind, status and code only. Never Directus's message, which may echo input. */
export function describeFailure(failure: DirectusFailure): string {
  const details = [failure.status, failure.code].filter((d) => d !== undefined).join(" ");
  return details ? `${failure.kind} (${details})` : failure.kind;
}
