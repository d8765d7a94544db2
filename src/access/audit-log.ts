// The audit log: who did what, when, from where, with what outcome. Append-only: this module has no
// update or delete, and each row carries the SHA-256 of its content and of the row before it, so an
// edited, removed or reordered row breaks the chain that `verifyAuditChain` walks.
import { createHash } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import type { Warehouse } from '../warehouse/index.ts';

export interface AuditEntry {
  actor: string;
  address: string;
  /** e.g. `login`, `login.failed`, `user.add`, `PUT /api/stream/rules/:id`, `customer.view`. */
  action: string;
  target?: string;
  outcome?: string;
  detail?: Record<string, unknown>;
}

export type AuditRow = {
  seq: number;
  recorded_at: string;
  actor: string;
  address: string;
  action: string;
  target: string;
  outcome: string;
  detail: string;
  prev_hash: string;
  hash: string;
};

const genesis = '0'.repeat(64);

function rowHash(row: Omit<AuditRow, 'hash'>): string {
  const content = [row.seq, row.recorded_at, row.actor, row.address, row.action, row.target, row.outcome, row.detail];
  return createHash('sha256').update(row.prev_hash).update(JSON.stringify(content)).digest('hex');
}

// Appends from one process queue up, so two requests never take the same sequence number or predecessor.
// Entries that arrive while a write is under way go together in the next one (one statement, one
// commit): a commit costs milliseconds, and one at a time would cap audited requests (every customer
// view) at a few dozen a second.
interface Waiting {
  clock: Clock;
  entry: AuditEntry;
  resolve(row: AuditRow): void;
  reject(error: unknown): void;
}
interface Queue {
  waiting: Waiting[];
  draining: boolean;
  /**
   * The last row this queue wrote, so that the next batch need not read it back (one statement a batch
   * instead of two). Another writer (another connection's queue) makes it stale: seq is the primary key,
   * so that batch fails, and it is written again after reading the true last row.
   */
  tail?: AuditTail;
}
const queues = new WeakMap<Warehouse, Queue>();
const MAX_BATCH = 200;
const PREPARED_BATCH = 8;

export function appendAudit(warehouse: Warehouse, clock: Clock, entry: AuditEntry): Promise<AuditRow> {
  let queue = queues.get(warehouse);
  if (!queue) {
    queue = { waiting: [], draining: false };
    queues.set(warehouse, queue);
  }
  const q = queue;
  return new Promise<AuditRow>((resolve, reject) => {
    q.waiting.push({ clock, entry, resolve, reject });
    if (!q.draining) void drain(warehouse, q);
  });
}

async function drain(warehouse: Warehouse, queue: Queue): Promise<void> {
  queue.draining = true;
  try {
    while (queue.waiting.length > 0) {
      const batch = queue.waiting.splice(0, MAX_BATCH);
      try {
        const rows = await appendWithTail(warehouse, queue, batch);
        batch.forEach((waiting, i) => {
          waiting.resolve(rows[i]!);
        });
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
  } finally {
    queue.draining = false;
  }
}

async function appendWithTail(warehouse: Warehouse, queue: Queue, batch: readonly Waiting[]): Promise<AuditRow[]> {
  const known = queue.tail;
  queue.tail = undefined;
  // An unchecked append always returns its rows (or throws).
  const rows =
    (known ? await appendNow(warehouse, batch, known, true) : undefined) ??
    (await appendNow(warehouse, batch, await readAuditTail(warehouse), false))!;
  const last = rows.at(-1);
  if (last) queue.tail = { seq: last.seq, hash: last.hash };
  return rows;
}

/** The last row of the log (seq and hash), undefined while it is empty. */
export function readAuditTail(warehouse: Warehouse): Promise<AuditTail | undefined> {
  return warehouse.one<AuditTail>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
}

export type AuditTail = { seq: number; hash: string };

/** The columns of audit_log in the table's order, as auditValues() gives a row's values. */
export const auditColumns = [
  'seq',
  'recorded_at',
  'actor',
  'address',
  'action',
  'target',
  'outcome',
  'detail',
  'prev_hash',
  'hash',
] as const;

export function auditValues(row: AuditRow): [number, ...string[]] {
  return [
    row.seq,
    row.recorded_at,
    row.actor,
    row.address,
    row.action,
    row.target,
    row.outcome,
    row.detail,
    row.prev_hash,
    row.hash,
  ];
}

/** The rows for `entries` after `last` (the log's last row; undefined for an empty log), each chained to the one before. */
export function buildAuditRows(
  entries: readonly { clock: Clock; entry: AuditEntry }[],
  last: AuditTail | undefined,
): AuditRow[] {
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last?.hash ?? genesis;
  return entries.map(({ clock, entry }) => {
    const partial: Omit<AuditRow, 'hash'> = {
      seq: ++seq,
      recorded_at: clock.now().toISOString(),
      actor: entry.actor,
      address: entry.address,
      action: entry.action,
      target: entry.target ?? '',
      outcome: entry.outcome ?? 'ok',
      detail: JSON.stringify(entry.detail ?? {}),
      prev_hash: prevHash,
    };
    const row: AuditRow = { ...partial, hash: rowHash(partial) };
    prevHash = row.hash;
    return row;
  });
}

/**
 * Writes the batch after `last`. When `last` was remembered rather than read (`checked`), the same
 * statement checks that it is still the last row (another writer, or a rolled-back transaction, would
 * make it stale) and writes nothing otherwise: undefined then, and the caller reads the true last row.
 */
async function appendNow(
  warehouse: Warehouse,
  batch: readonly Waiting[],
  last: AuditTail | undefined,
  checked: boolean,
): Promise<AuditRow[] | undefined> {
  const rows = buildAuditRows(batch, last);
  const values = rows.flatMap(auditValues);
  const tuples = rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  if (!checked) {
    await warehouse.run(
      `INSERT INTO audit_log (seq, recorded_at, actor, address, action, target, outcome, detail, prev_hash, hash)
       VALUES ${tuples}`,
      values,
    );
    return rows;
  }
  const tailSeq = last ? Number(last.seq) : 0;
  // A batch holds as many rows as requests arrived during the last commit: the usual small sizes are
  // kept prepared (parsing and planning the statement was a sixth of an append's cost), a rare big one is not.
  const query = rows.length <= PREPARED_BATCH ? warehouse.allPrepared.bind(warehouse) : warehouse.all.bind(warehouse);
  const written = await query(
    `INSERT INTO audit_log (seq, recorded_at, actor, address, action, target, outcome, detail, prev_hash, hash)
     SELECT * FROM (VALUES ${tuples})
     WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = ?)
       AND coalesce((SELECT hash FROM audit_log WHERE seq = ?), ?) = ?
     RETURNING seq`,
    // Nothing after the remembered row: every writer appends at last + 1, so it is enough that no row
    // holds last + 1 (a keyed read; max(seq) read the whole log, slower as the log grows).
    [...values, tailSeq + 1, tailSeq, genesis, last?.hash ?? genesis],
  );
  return written.length === rows.length ? rows : undefined;
}

export interface AuditFilter {
  limit?: number;
  actor?: string;
  action?: string;
}

/** The newest rows first. */
export async function listAudit(warehouse: Warehouse, filter: AuditFilter = {}): Promise<AuditRow[]> {
  const rows = await warehouse.all<AuditRow>(
    `SELECT * FROM audit_log
     WHERE (? IS NULL OR actor = ?) AND (? IS NULL OR action LIKE ? || '%')
     ORDER BY seq DESC LIMIT ?`,
    [filter.actor ?? null, filter.actor ?? null, filter.action ?? null, filter.action ?? null, filter.limit ?? 200],
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

export interface ChainCheck {
  ok: boolean;
  rows: number;
  /** The first row whose hash, predecessor or sequence does not fit. */
  brokenAt?: number;
  reason?: string;
}

export async function verifyAuditChain(warehouse: Warehouse): Promise<ChainCheck> {
  const rows = await warehouse.all<AuditRow>('SELECT * FROM audit_log ORDER BY seq');
  let prev = genesis;
  let expectedSeq = 1;
  for (const raw of rows) {
    const row = { ...raw, seq: Number(raw.seq) };
    const { hash, ...rest } = row;
    const reason =
      row.seq !== expectedSeq
        ? `row ${expectedSeq} is missing`
        : row.prev_hash !== prev
          ? 'its predecessor hash does not match the row before'
          : rowHash(rest) !== hash
            ? 'its content does not match its hash (edited)'
            : undefined;
    if (reason) return { ok: false, rows: rows.length, brokenAt: row.seq, reason };
    prev = hash;
    expectedSeq += 1;
  }
  return { ok: true, rows: rows.length };
}
