/**
 * Thrown by server helpers when Directus cannot answer (network, timeout, 5xx). Pages let it reach an
 * error boundary that says "temporarily unavailable" instead of pretending the user is signed out.
 */
export class ServiceUnavailableError extends Error {
  override name = "ServiceUnavailableError";

  constructor(
    message = "The account service is temporarily unavailable.",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
