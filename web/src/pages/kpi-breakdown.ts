// The KPI explorer's question as it lives in the URL, and the API request it becomes. Pure functions,
// no React: `by` in the page URL has the same shape as in /api/kpi/:metric (e.g. `week,plan,service`),
// so a bookmarked view and the request it makes read alike.

export const timeGrains = ['day', 'week', 'month'] as const;
export type TimeGrain = (typeof timeGrains)[number];

/** The page offers two dimension pickers (slots 0 and 1); more rarely reads well in one chart. */
export const dimensionSlots = [0, 1] as const;
export const maxDimensions = dimensionSlots.length;

/** The metric shown for a bare /kpi, with a daily trend so the first view is a chart. */
export const defaultMetric = 'subscribers';
export const defaultBreakdown = 'day';

export interface Breakdown {
  grain?: TimeGrain;
  /** Attribute dimensions in the order chosen: the first is the x axis (or the series over time). */
  dims: string[];
}

export function isTimeGrain(name: string): name is TimeGrain {
  return (timeGrains as readonly string[]).includes(name);
}

/**
 * Reads `by` as written. A second time grain or a third dimension from a hand-edited URL is kept
 * (as a dimension) rather than dropped, so the API answers with its own readable complaint.
 */
export function parseBreakdown(by: string | null | undefined): Breakdown {
  const breakdown: Breakdown = { dims: [] };
  for (const part of (by ?? '').split(',')) {
    const name = part.trim();
    if (name === '') continue;
    if (isTimeGrain(name) && !breakdown.grain) breakdown.grain = name;
    else if (!breakdown.dims.includes(name)) breakdown.dims.push(name);
  }
  return breakdown;
}

/** `by` for the URL and the API; undefined when there is no breakdown (the key is left out). */
export function formatBreakdown(breakdown: Breakdown): string | undefined {
  const parts = [...(breakdown.grain ? [breakdown.grain] : []), ...breakdown.dims];
  return parts.length > 0 ? parts.join(',') : undefined;
}

/** What of a breakdown another metric allows: switching metric keeps every choice that still fits. */
export function fitBreakdown(breakdown: Breakdown, allowed: readonly string[]): Breakdown {
  return {
    grain: breakdown.grain && allowed.includes(breakdown.grain) ? breakdown.grain : undefined,
    dims: breakdown.dims.filter((d) => allowed.includes(d)).slice(0, maxDimensions),
  };
}

/** The breakdown with dimension `slot` (0 or 1) set or cleared; a cleared first slot lets the second move up. */
export function withDimension(breakdown: Breakdown, slot: number, name: string | undefined): Breakdown {
  const dims = breakdown.dims.slice(0, maxDimensions);
  if (name) dims[slot] = name;
  else dims.splice(slot, 1);
  return { grain: breakdown.grain, dims: [...new Set(dims.filter((d) => d !== undefined && d !== ''))] };
}

export interface KpiRequest {
  metric: string;
  breakdown: Breakdown;
  from?: string;
  to?: string;
  /** Filter values per dimension, comma-separated as in the URL (`county=源城,东源`). */
  filters: Partial<Record<string, string>>;
}

/** GET /api/kpi/:metric with the breakdown, the date range and the filters. */
export function kpiApiPath(request: KpiRequest): string {
  const params = new URLSearchParams();
  const by = formatBreakdown(request.breakdown);
  if (by) params.set('by', by);
  if (request.from) params.set('from', request.from);
  if (request.to) params.set('to', request.to);
  for (const [name, value] of Object.entries(request.filters)) if (value) params.set(name, value);
  const query = params.toString();
  return `/api/kpi/${encodeURIComponent(request.metric)}${query ? `?${query}` : ''}`;
}
