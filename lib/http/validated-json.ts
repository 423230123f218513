import "server-only";
import type * as z from "zod/mini";
import { readJson } from "./read-json";
import { invalidFields, plainIssue } from "./responses";
import { rejectCrossSite } from "./same-origin";

export type ValidatedJson<T> = { ok: true; data: T } | { ok: false; response: Response };

/**
 * What every JSON auth route does before its own work: refuse cross-site requests, read a bounded
 * JSON body, and check it with the form's shared schema (strict: unknown fields fail), answering each
 * failure with its plain 4xx. `prepare` runs on the raw value first, e.g. password normalisation.
 */
export async function readValidatedJson<Schema extends z.ZodMiniType>(
  request: Request,
  schema: Schema,
  prepare: (value: unknown) => unknown = (value) => value,
): Promise<ValidatedJson<z.output<Schema>>> {
  const refused = rejectCrossSite(request);
  if (refused) return { ok: false, response: refused };
  const body = await readJson(request);
  if (!body.ok) return body;
  const parsed = schema.safeParse(prepare(body.value), { error: plainIssue });
  if (!parsed.success) return { ok: false, response: invalidFields(parsed.error) };
  return { ok: true, data: parsed.data };
}
