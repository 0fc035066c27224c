import pg from 'pg';
import { CannotExecuteNotConnectedError, QueryFailedError } from 'typeorm';

/** Node's socket errors: the database host refused, reset, dropped or could not be reached. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that mean "the server cannot serve you now" rather than "your query is wrong":
 * class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up or in recovery), 53300 too_many_connections.
 */
function isUnavailableSqlState(code: string | undefined): boolean {
  return code !== undefined && (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code));
}

function hasNetworkCode(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_ERROR_CODES.has(code);
}

/**
 * Whether an error thrown out of TypeORM means PostgreSQL is unreachable (answer 503 and let the
 * client retry) rather than a bug (500). Decided by type and code, never by message text:
 * - a socket error code (the pool could not connect, or the connection broke);
 * - a server error (pg's DatabaseError) with an "unavailable" SQLSTATE;
 * - a failed query whose driver error is a bare `Error` without any SQLSTATE: the server never
 *   answered it because the connection ended under it (pg's "connection terminated");
 * - TypeORM refusing to run because the data source is not connected.
 * Left out, and so 500: pg-pool's own connect timeout, a bare `Error` indistinguishable by type
 * from any other (it needs a host that swallows packets; a refused or reset connection is covered).
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  if (error instanceof CannotExecuteNotConnectedError) return true;
  if (error instanceof QueryFailedError) {
    const driverError: unknown = error.driverError;
    if (driverError instanceof pg.DatabaseError) return isUnavailableSqlState(driverError.code);
    if (hasNetworkCode(driverError)) return true;
    return driverError instanceof Error && driverError.constructor === Error && (driverError as { code?: unknown }).code === undefined;
  }
  if (error instanceof pg.DatabaseError) return isUnavailableSqlState(error.code);
  return hasNetworkCode(error);
}
