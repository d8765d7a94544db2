// Fetches JSON from the Telmark API; errors come back as { error: { code, message, hint } }.
import { useEffect, useState } from 'react';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    /** The request field the problem is in (location.field of the API's error), e.g. "county". */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Answers that do not change while the page is open (the dimension catalogue), shared by every component. */
const cacheable = new Set(['/api/dimensions', '/api/metrics', '/api/analysis']);
const cache = new Map<string, Promise<unknown>>();

export function fetchJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  if (!cacheable.has(path)) return fetchFresh<T>(path, signal);
  let pending = cache.get(path);
  if (!pending) {
    pending = fetchFresh<T>(path);
    pending.catch(() => cache.delete(path));
    cache.set(path, pending);
  }
  return pending as Promise<T>;
}

/** The session's CSRF token (from GET /api/session), sent back on every state-changing request. */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Fired when the API answers 401: the session ended, the shell shows the login page. */
export const signedOutEvent = 'telmark:signed-out';

/** fetch() for the API: the CSRF header on POST/PUT/PATCH/DELETE, and a 401 signs the page out. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers.set('x-csrf-token', csrfToken);
  const response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  if (response.status === 401 && path !== '/api/session') window.dispatchEvent(new Event(signedOutEvent));
  return response;
}

/** Sends JSON and reads the JSON answer (or the API's error). */
export async function sendJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await apiFetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return readAnswer<T>(response);
}

async function fetchFresh<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await apiFetch(path, { signal, headers: { accept: 'application/json' } });
  return readAnswer<T>(response);
}

async function readAnswer<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as {
    error?: { code: string; message: string; hint?: string; location?: { field?: string } };
  } | null;
  if (!response.ok) {
    throw new ApiError(
      body?.error?.code ?? 'HTTP',
      body?.error?.message ?? response.statusText,
      body?.error?.hint,
      body?.error?.location?.field,
    );
  }
  return body as T;
}

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
}

/** Loads `path` whenever it changes; a stale answer never overwrites a newer one. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined, loading: path !== null });
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setState((previous) => ({ data: previous.data, error: undefined, loading: true }));
    fetchJson<T>(path, controller.signal).then(
      (data) => setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError('NETWORK', String(error));
        setState({ data: undefined, error: apiError, loading: false });
      },
    );
    return () => controller.abort();
  }, [path]);
  return state;
}
