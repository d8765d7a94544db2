// Routing, acknowledging and the timer each read the alert groups, change them and write them back.
// In one process they take turns per warehouse, so the timer and a request never interleave and lose
// one another's change (the warehouse's write queue orders writes, not read-change-write cycles).
import type { Warehouse } from '../warehouse/index.ts';

const turns = new WeakMap<Warehouse, Promise<unknown>>();

export function inAlertTurn<T>(warehouse: Warehouse, work: () => Promise<T>): Promise<T> {
  const previous = turns.get(warehouse) ?? Promise.resolve();
  const result = previous.then(work, work);
  turns.set(
    warehouse,
    result.catch(() => undefined),
  );
  return result;
}
