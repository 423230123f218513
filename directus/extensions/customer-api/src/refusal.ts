/** A refusal with the status and body Directus itself would use. Thrown by handlers, sent by index.ts. */
export class Refusal {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly headers: Record<string, string> = {},
  ) {}
}
