// The trigger-rule form and its JSON agree by construction: the editor keeps one JSON text; the form is
// read from it (formOfRule) and every form change writes it back (applyForm), keeping what the form does
// not show (who, response window, quiet hours …). Durations read in minutes, as a marketer thinks of them.

export interface RuleForm {
  geofences: string[];
  on: 'inside' | 'enter' | 'leave';
  /** Minutes in the area before the rule fires; '' for none. */
  dwellMin: string;
  /** The number the subscriber called (e.g. 114); '' for no behaviour condition. */
  called: string;
  /** A number the subscriber did not call in the same window (e.g. 12580); '' for none. */
  notCalled: string;
  windowMin: string;
  text: string;
  /** Message per geofence id; an empty one falls back to `text`. */
  variants: Record<string, string>;
  service: string;
  /** Days between two messages of this rule to one subscriber; '' for the file's default. */
  capDays: string;
  /** Share held out as control, in per cent; '' for the default. */
  controlPct: string;
  /** False when the rule's behaviour is more than the form shows: it is kept and edited as JSON. */
  simpleBehaviour: boolean;
}

type Json = Record<string, unknown>;

const UNIT_SEC: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds of a duration written as a number of seconds or "30m" / "2h" / "3d"; NaN when unreadable. */
export function durationSec(value: unknown): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(String(value ?? '').trim());
  return match ? Number(match[1]) * UNIT_SEC[match[2]!]! : Number.NaN;
}

/** A duration as the JSON view writes it: whole days, hours or minutes where it can. */
export function durationText(seconds: number): string | number {
  if (!Number.isFinite(seconds)) return seconds;
  if (seconds > 0 && seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** A stored definition (durations in seconds) as the JSON view shows it (durations as 30m, 3d). */
export function readableRule(definition: Json): Json {
  const rule: Json = structuredClone(definition);
  const where = rule.where as Json | undefined;
  if (where?.dwell !== undefined) where.dwell = durationText(durationSec(where.dwell));
  if (rule.response_window !== undefined) rule.response_window = durationText(durationSec(rule.response_window));
  const behaviour = rule.behaviour as { all?: Json[]; none?: Json[] } | undefined;
  for (const condition of [...(behaviour?.all ?? []), ...(behaviour?.none ?? [])])
    if (condition.within !== undefined) condition.within = durationText(durationSec(condition.within));
  return rule;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const minutes = (value: unknown): string => {
  const sec = durationSec(value);
  return Number.isFinite(sec) ? String(Math.round((sec / 60) * 100) / 100) : '';
};

function isSimpleCall(condition: Json): boolean {
  const events = list(condition.event ?? 'call_out');
  return (
    events.length === 1 &&
    events[0] === 'call_out' &&
    typeof condition.peer === 'string' &&
    (condition.at_least === undefined || condition.at_least === 1)
  );
}

export function formOfRule(rule: Json): RuleForm {
  const where = (rule.where ?? {}) as Json;
  const behaviour = (rule.behaviour ?? {}) as { all?: Json[]; none?: Json[] };
  const all = behaviour.all ?? [];
  const none = behaviour.none ?? [];
  const conditions = [...all, ...none];
  const windows = new Set(conditions.map((c) => durationSec(c.within)));
  const simpleBehaviour = all.length <= 1 && none.length <= 1 && conditions.every(isSimpleCall) && windows.size <= 1;
  const message = (rule.message ?? {}) as { text?: string; variants?: Record<string, string> };
  const control = rule.control;
  return {
    geofences: list(where.geofences).map(String),
    on: (where.on as RuleForm['on']) ?? 'inside',
    dwellMin: where.dwell === undefined ? '' : minutes(where.dwell),
    called: simpleBehaviour ? String(all[0]?.peer ?? '') : '',
    notCalled: simpleBehaviour ? String(none[0]?.peer ?? '') : '',
    windowMin: conditions[0] ? minutes(conditions[0].within) : '30',
    text: message.text ?? '',
    variants: { ...(message.variants ?? {}) },
    service: typeof rule.service === 'string' ? rule.service : '',
    capDays: rule.cap_days === undefined ? '' : String(rule.cap_days),
    controlPct: typeof control === 'number' ? String(Math.round(control * 1000) / 10) : '',
    simpleBehaviour,
  };
}

/** The rule with the form's fields written into it; fields the form does not show stay as they were. */
export function applyForm(rule: Json, form: RuleForm): Json {
  const next: Json = structuredClone(rule);
  const where: Json = { ...((next.where ?? {}) as Json), geofences: form.geofences, on: form.on };
  if (form.dwellMin.trim() === '') delete where.dwell;
  else where.dwell = `${Number(form.dwellMin)}m`;
  next.where = where;
  if (form.simpleBehaviour) {
    const within = `${Number(form.windowMin) || 30}m`;
    next.behaviour = {
      all: form.called.trim() ? [{ event: 'call_out', peer: form.called.trim(), within }] : [],
      none: form.notCalled.trim() ? [{ event: 'call_out', peer: form.notCalled.trim(), within }] : [],
    };
  }
  const variants = Object.fromEntries(
    Object.entries(form.variants).filter(([fence, text]) => form.geofences.includes(fence) && text.trim() !== ''),
  );
  next.message = { text: form.text, variants };
  if (form.service.trim() === '') delete next.service;
  else next.service = form.service.trim();
  if (form.capDays.trim() === '') delete next.cap_days;
  else next.cap_days = Number(form.capDays);
  if (form.controlPct.trim() === '') delete next.control;
  else next.control = Math.round(Number(form.controlPct) * 10) / 1000;
  return next;
}
