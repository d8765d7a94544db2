/** What a condition is about: `attribute:brand`, `holds`, `usage:sms_out`, `segment:age_band`, `score`, `rule`… */
export interface Condition {
  id: number;
  kind: 'condition';
  negate: boolean;
  field: string;
  values: string[];
  low: string;
  high: string;
  service: string;
  other: string;
  days: string;
  model: string;
  scoreMode: 'top' | 'atLeast';
  amount: string;
}

export interface Group {
  id: number;
  kind: 'group';
  negate: boolean;
  op: 'all' | 'any';
  children: Node[];
}

export type Node = Condition | Group;

let nextId = 1;
export function newCondition(field = ''): Condition {
  return {
    id: nextId++,
    kind: 'condition',
    negate: false,
    field,
    values: [],
    low: '',
    high: '',
    service: '',
    other: '',
    days: '30',
    model: '',
    scoreMode: 'top',
    amount: '',
  };
}

export function newGroup(op: 'all' | 'any' = 'all'): Group {
  return { id: nextId++, kind: 'group', negate: false, op, children: [] };
}

/** The tree with the node of `id` replaced by `change(node)` (null removes it). */
export function updateNode(root: Group, id: number, change: (node: Node) => Node | null): Group {
  const visit = (node: Node): Node | null => {
    if (node.id === id) return change(node);
    if (node.kind === 'condition') return node;
    return { ...node, children: node.children.map(visit).filter((n): n is Node => n !== null) };
  };
  return visit(root) as Group;
}

const number = (text: string): number | null =>
  text.trim() === '' || !Number.isFinite(Number(text)) ? null : Number(text);
const whole = (text: string): number | null => {
  const n = number(text);
  return n !== null && Number.isInteger(n) && n > 0 ? n : null;
};

/** The API's definition of a node, or null while its form is incomplete. */
export function toDefinition(node: Node): unknown | null {
  const inner = node.kind === 'group' ? groupDefinition(node) : conditionDefinition(node);
  if (inner === null) return null;
  return node.negate ? { not: inner } : inner;
}

function groupDefinition(group: Group): unknown | null {
  const children = group.children.map(toDefinition).filter((d) => d !== null);
  if (children.length === 0) return group.op === 'all' ? { all: [] } : null;
  return { [group.op]: children };
}

function conditionDefinition(c: Condition): unknown | null {
  const [kind, name] = c.field.split(':') as [string, string | undefined];
  const low = number(c.low);
  const high = number(c.high);
  const between = low === null && high === null ? null : [low, high];
  const days = whole(c.days);
  switch (kind) {
    case 'attribute':
      if (c.values.length > 0) return { attribute: name, in: c.values };
      return between ? { attribute: name, between } : null;
    case 'segment':
      return c.values.length > 0 ? { segment: name, in: c.values } : null;
    case 'holds':
    case 'lacks':
      return c.service ? { [kind]: c.service } : null;
    case 'cancelled':
    case 'uses':
      return c.service && days ? { [kind]: c.service, withinDays: days } : null;
    case 'usage':
      return days && between ? { usage: name, withinDays: days, between } : null;
    case 'score': {
      const [score, version] = c.model.split('|') as [string, string | undefined];
      if (!version) return null;
      const amount = c.scoreMode === 'top' ? whole(c.amount) : number(c.amount);
      if (amount === null || (score === 'propensity' && !c.service)) return null;
      return {
        score,
        modelVersion: version,
        ...(score === 'propensity' ? { service: c.service } : {}),
        [c.scoreMode]: amount,
      };
    }
    case 'rule':
      return c.service && c.other ? { rule: { lhs: [c.service], rhs: [c.other] } } : null;
    default:
      return null;
  }
}

/** A saved definition back into forms (to edit it and save a new version); the root is always a group. */
export function fromDefinition(definition: unknown): Group {
  const node = toNode(definition);
  if (node.kind === 'group') return node;
  const root = newGroup('all');
  root.children = [node];
  return root;
}

function toNode(definition: unknown): Node {
  const d = (definition ?? {}) as Record<string, unknown>;
  if (Array.isArray(d.all) || Array.isArray(d.any)) {
    const op = Array.isArray(d.all) ? 'all' : 'any';
    const group = newGroup(op);
    group.children = (d[op] as unknown[]).map(toNode);
    return group;
  }
  if (d.not !== undefined) {
    const inner = toNode(d.not);
    return { ...inner, negate: !inner.negate };
  }
  const c = newCondition();
  const bounds = (between: unknown) => {
    const [low, high] = (between as [number | null, number | null]) ?? [null, null];
    return { low: low === null ? '' : String(low), high: high === null ? '' : String(high) };
  };
  if (typeof d.attribute === 'string') {
    return { ...c, field: `attribute:${d.attribute}`, values: (d.in as string[]) ?? [], ...bounds(d.between) };
  }
  if (typeof d.segment === 'string') return { ...c, field: `segment:${d.segment}`, values: (d.in as string[]) ?? [] };
  for (const kind of ['holds', 'lacks', 'cancelled', 'uses'] as const) {
    if (typeof d[kind] === 'string') {
      return { ...c, field: kind, service: d[kind] as string, days: d.withinDays ? String(d.withinDays) : c.days };
    }
  }
  if (typeof d.usage === 'string') {
    return { ...c, field: `usage:${d.usage}`, days: String(d.withinDays), ...bounds(d.between) };
  }
  if (typeof d.score === 'string') {
    const top = d.top !== undefined;
    return {
      ...c,
      field: 'score',
      model: `${d.score}|${String(d.modelVersion)}`,
      service: typeof d.service === 'string' ? d.service : '',
      scoreMode: top ? 'top' : 'atLeast',
      amount: String(top ? d.top : d.atLeast),
    };
  }
  const rule = d.rule as { lhs?: string[]; rhs?: string[] } | undefined;
  if (rule) return { ...c, field: 'rule', service: rule.lhs?.[0] ?? '', other: rule.rhs?.[0] ?? '' };
  return c;
}
