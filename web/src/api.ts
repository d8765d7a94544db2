// Fetches JSON from the Telmark API; errors come back as { error: { code, message, hint } }.
import { useEffect, useState } from 'react';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
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

async function fetchFresh<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal, headers: { accept: 'application/json' } });
  const body = (await response.json().catch(() => null)) as {
    error?: { code: string; message: string; hint?: string };
  } | null;
  if (!response.ok) {
    throw new ApiError(body?.error?.code ?? 'HTTP', body?.error?.message ?? response.statusText, body?.error?.hint);
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
