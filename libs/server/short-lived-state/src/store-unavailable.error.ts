import { ServiceUnavailableError } from '@tessera/contracts';

/**
 * The short-lived-state store (or the database) did not answer: connection down, or no reply within
 * the command timeout. Thrown by the store implementations in place of their clients' own errors, so
 * that callers and the HTTP filters recognise it by type: OAuth endpoints answer 503
 * `temporarily_unavailable`, the admin API problem+json 503, pages an HTML 503. Never a reason to
 * carry on as if a lookup had found nothing (fail closed: a revocation that cannot be checked is not
 * "not revoked").
 */
export class StoreUnavailableError extends ServiceUnavailableError {
  /** Seconds a client should wait before retrying (HTTP Retry-After). */
  override readonly retryAfterSeconds: number = 5;

  constructor(detail = 'a backing store is unavailable; try again shortly', options?: { cause?: unknown }) {
    super(detail);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
