import type { FieldError, ProblemDetails } from '@tessera/contracts';
import { createContext, useContext } from 'react';

/** An RFC 9457 problem (or a network failure) as the dashboard shows it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail || title);
    this.name = 'ApiError';
  }

  static async from(res: Response): Promise<ApiError> {
    let problem: Partial<ProblemDetails> = {};
    try {
      problem = (await res.json()) as Partial<ProblemDetails>;
    } catch {
      // not JSON: keep the status
    }
    return new ApiError(
      res.status,
      problem.title ?? res.statusText ?? `HTTP ${res.status}`,
      problem.detail ?? `The server answered HTTP ${res.status}.`,
      Array.isArray(problem.errors) ? problem.errors : [],
    );
  }
}

export interface Api {
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

/** A JSON API client that attaches the bearer token; on 401 it renews the token once and retries. */
export function createApi(base: string, getToken: (options?: { forceRefresh?: boolean }) => Promise<string>): Api {
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const send = async (token: string) =>
        fetch(`${base}${path}`, {
          method,
          headers: {
            accept: 'application/json, application/problem+json',
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      let res: Response;
      try {
        res = await send(await getToken());
        if (res.status === 401) res = await send(await getToken({ forceRefresh: true }));
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw new ApiError(0, 'Network error', error instanceof Error ? error.message : String(error));
      }
      if (!res.ok) throw await ApiError.from(res);
      if (res.status === 204) return undefined as T;
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

export const ApiContext = createContext<Api | null>(null);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside an ApiContext');
  return api;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.status ? `${error.title}: ${error.detail}` : error.detail;
  return error instanceof Error ? error.message : String(error);
}
