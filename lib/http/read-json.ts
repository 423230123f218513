import "server-only";
import { jsonResult } from "./responses";

/**
 * Reading a JSON body in a route handler, which has no body-size limit of its own and whose
 * `req.json()` ignores Content-Type. Never throws: every failure is a ready response.
 */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024;

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

function failure(status: number, message: string): JsonBody {
  return { ok: false, response: jsonResult({ ok: false, message }, status) };
}

function isJsonContentType(header: string | null): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(";").map((p) => p.trim().toLowerCase());
  if (type !== "application/json") return false;
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length);
  return charset === undefined || charset.replace(/"/g, "") === "utf-8";
}

const TOO_LARGE = "The request is too large.";

/** Reads at most `maxBytes`, counting while streaming: Content-Length may be absent or wrong. */
async function readLimited(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export async function readJson(
  request: Request,
  { maxBytes = DEFAULT_MAX_BODY_BYTES }: { maxBytes?: number } = {},
): Promise<JsonBody> {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    return failure(415, "Send the form as JSON.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) return failure(413, TOO_LARGE);
  if (!request.body) return failure(400, "The request is empty.");

  let bytes: Uint8Array | null;
  try {
    bytes = await readLimited(request.body, maxBytes);
  } catch {
    return failure(400, "The request could not be read.");
  }
  if (bytes === null) return failure(413, TOO_LARGE);

  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return failure(400, "The request is not valid JSON.");
  }
}
