// The page and its filters live in the URL (path + query), so a view can be bookmarked, shared and
// reloaded. `useLocation` re-renders on navigation; `navigate` and `setQuery` change the URL.
import { useCallback, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
function notify(): void {
  for (const listener of listeners) listener();
}
window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, query: url.searchParams };
}

export function navigate(href: string): void {
  window.history.pushState(null, '', href);
  notify();
}

/** Merges the given keys into the query; an empty or undefined value removes the key. */
export function setQuery(changes: Record<string, string | undefined>, options: { replace?: boolean } = {}): void {
  const url = new URL(window.location.href);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === '') url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  const href = url.pathname + url.search;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  notify();
}

/** One query parameter as state: [value, setter]. */
export function useQueryParam(key: string): [string | undefined, (value: string | undefined) => void] {
  const { query } = useLocation();
  const set = useCallback((value: string | undefined) => setQuery({ [key]: value }), [key]);
  return [query.get(key) ?? undefined, set];
}
