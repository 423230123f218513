import "server-only";
import { jsonResult } from "./responses";

/**
 * Reading a request body in a route handler, which has no body-size limit of its own and whose
 * `req.json()` ignores Content-Type. Never throws: every failure is a ready response, refused before
 * anything is parsed or sent on to Directus.
 *
 * - Content-Type must be one we expect, in UTF-8 (415 otherwise). Cross-site "simple" posts
 *   (text/plain, forms) are refused by this alone.
 * - At most `maxBytes` are read, counted while streaming: Content-Length may be absent or lie. A
 *   declared length over the limit is refused before reading a byte (413).
 * - The whole body must arrive within `timeoutMs`: a client trickling bytes cannot hold a handler
 *   (and its memory) open for as long as the connection lives (408).
 * - A body refused for its size is read to its end and thrown away before the answer, if that end
 *   comes within DRAIN_MAX_BYTES and DRAIN_WINDOW_MS, so that a keep-alive client can send its next
 *   request on the same connection. Otherwise it is answered at once, and the Node hook
 *   (early-answers.ts) marks that answer `Connection: close`.
 */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024;
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;
export const DRAIN_MAX_BYTES = 4 * 1024 * 1024;
export const DRAIN_WINDOW_MS = 2_000;

export const JSON_TYPE = "application/json";
export const FORM_TYPE = "application/x-www-form-urlencoded";

export type BodyOptions = { maxBytes?: number; timeoutMs?: number };

/** A refusal carries the plain JSON answer to send back as it is. */
type Refused = { kind: "refused"; response: Response };

export type RawBody = { kind: "read"; type: string; text: string; bytes: Uint8Array } | Refused;

export type JsonBody = { kind: "read"; value: unknown } | Refused;

function failure(status: number, message: string): Refused {
  return { kind: "refused", response: jsonResult({ ok: false, message }, status) };
}

/** The media type if it is one of `accepted` with no charset or UTF-8; undefined otherwise. */
function acceptedType(header: string | null, accepted: readonly string[]): string | undefined {
  if (!header) return undefined;
  const [type = "", ...params] = header.split(";").map((p) => p.trim().toLowerCase());
  if (!accepted.includes(type)) return undefined;
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length);
  return charset === undefined || charset.replace(/"/g, "") === "utf-8" ? type : undefined;
}

const TOO_LARGE = "The request is too large.";
const TOO_SLOW = "The request took too long to arrive.";

type Read = { kind: "ok"; bytes: Uint8Array } | { kind: "too_large" } | { kind: "too_slow" };

/** A promise that settles as "too_slow" after `ms`, and the means to stop its timer. */
export function timeLimit(ms: number): { expired: Promise<"too_slow">; clear: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<"too_slow">((resolve) => {
    timer = setTimeout(() => resolve("too_slow"), ms);
  });
  return { expired, clear: () => clearTimeout(timer) };
}

async function readLimited(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  timeoutMs: number,
): Promise<Read> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const deadline = timeLimit(timeoutMs);
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline.expired]);
      if (next === "too_slow") {
        await reader.cancel().catch(() => {});
        return { kind: "too_slow" };
      }
      if (next.done) break;
      total += next.value.byteLength;
      if (total > maxBytes) {
        await drain(reader, total, deadline.expired);
        return { kind: "too_large" };
      }
      chunks.push(next.value);
    }
  } finally {
    deadline.clear();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { kind: "ok", bytes };
}

/**
 * Reads and discards the rest of a refused body, up to DRAIN_MAX_BYTES in all, for DRAIN_WINDOW_MS at
 * most and never past the body's deadline; past any of them the reader is cancelled and the answer
 * closes the connection instead. A body that fails while being thrown away changes nothing: the
 * answer is a 413 either way.
 */
async function drain(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  alreadyRead: number,
  deadline: Promise<"too_slow">,
): Promise<void> {
  let total = alreadyRead;
  const window = timeLimit(DRAIN_WINDOW_MS);
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline, window.expired]);
      if (next === "too_slow") break;
      if (next.done) return;
      total += next.value.byteLength;
      if (total > DRAIN_MAX_BYTES) break;
    }
  } catch {
    // The stream failed: nothing left to throw away.
  } finally {
    window.clear();
  }
  await reader.cancel().catch(() => {});
}

/** Reads a body of one of the `accepted` media types, bounded in size and time, as UTF-8 text. */
export async function readBody(
  request: Request,
  accepted: readonly string[],
  { maxBytes = DEFAULT_MAX_BODY_BYTES, timeoutMs = DEFAULT_BODY_TIMEOUT_MS }: BodyOptions = {},
): Promise<RawBody> {
  const type = acceptedType(request.headers.get("content-type"), accepted);
  if (!type) {
    return failure(415, accepted.includes(JSON_TYPE) ? "Send the form as JSON." : "Send a form.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Refused by its declared size; thrown away first when small enough (see drain()).
    if (declared <= DRAIN_MAX_BYTES && request.body) {
      const deadline = timeLimit(timeoutMs);
      await drain(request.body.getReader(), 0, deadline.expired);
      deadline.clear();
    }
    return failure(413, TOO_LARGE);
  }
  if (!request.body) return failure(400, "The request is empty.");

  let read: Read;
  try {
    read = await readLimited(request.body, maxBytes, timeoutMs);
  } catch {
    return failure(400, "The request could not be read.");
  }
  if (read.kind === "too_large") return failure(413, TOO_LARGE);
  if (read.kind === "too_slow") return failure(408, TOO_SLOW);

  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
    return { kind: "read", type, text, bytes: read.bytes };
  } catch {
    return failure(400, "The request is not valid UTF-8.");
  }
}

/** A JSON body (see readBody); its value is still untrusted and goes through a schema next. */
export async function readJson(request: Request, options: BodyOptions = {}): Promise<JsonBody> {
  const body = await readBody(request, [JSON_TYPE], options);
  if (body.kind === "refused") return body;
  try {
    return { kind: "read", value: JSON.parse(body.text) as unknown };
  } catch {
    return failure(400, "The request is not valid JSON.");
  }
}
