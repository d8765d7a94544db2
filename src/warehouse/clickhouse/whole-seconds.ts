/**
 * Whole seconds of a local timestamp, and the first whole second not before it, for the pushes of
 * operational state to the cluster (a round's contacts, the outbox's marketing messages). DuckDB keeps
 * fractions of a second and a DateTime on 18.16 does not: `t >= from` on whole seconds then decides as
 * DuckDB's `t >= t0` does with the fraction.
 */
export function wholeSeconds(t0: string): { floor: string; from: string } {
  const floor = t0.slice(0, 19);
  if (!/\.\d*[1-9]/.test(t0.slice(19))) return { floor, from: floor };
  const next = new Date(Date.parse(`${floor.replace(' ', 'T')}Z`) + 1000);
  return { floor, from: next.toISOString().slice(0, 19).replace('T', ' ') };
}
