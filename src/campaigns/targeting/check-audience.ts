// The audience tree of the shared contract (issue 13): all / any / not combinators and attribute
// leaves. This is the campaigns' own reading of it, enough for whole-base pilots and for audiences
// narrowed to uplift rules (attribute leaves); the audience builder (src/campaigns/audiences/, branch
// h-audience) compiles every leaf and takes over once merged.
export const attributeNames = [
  'brand',
  'county',
  'plan',
  'gender',
  'area_type',
  'age',
  'tenure_months',
  'arpu',
] as const;
export type AttributeName = (typeof attributeNames)[number];

export interface AudienceProblem {
  path: PropertyKey[];
  message: string;
}

export function checkAudience(node: unknown, path: PropertyKey[] = []): AudienceProblem[] {
  if (typeof node !== 'object' || node === null || Array.isArray(node))
    return [{ path, message: 'must be an object such as { all: [] } or { attribute: brand, in: [mzone] }' }];
  const n = node as Record<string, unknown>;
  if ('all' in n || 'any' in n) {
    const key = 'all' in n ? 'all' : 'any';
    const items = n[key];
    if (!Array.isArray(items)) return [{ path: [...path, key], message: 'must be a list of conditions' }];
    return items.flatMap((item, i) => checkAudience(item, [...path, key, i]));
  }
  if ('not' in n) return checkAudience(n.not, [...path, 'not']);
  if ('attribute' in n) {
    const name = n.attribute;
    if (typeof name !== 'string' || !(attributeNames as readonly string[]).includes(name))
      return [{ path: [...path, 'attribute'], message: `must be one of ${attributeNames.join(', ')}` }];
    if (Array.isArray(n.in)) {
      if (n.in.length === 0 || !n.in.every((v) => typeof v === 'string' || typeof v === 'number'))
        return [{ path: [...path, 'in'], message: 'must list one or more values' }];
      return [];
    }
    if (Array.isArray(n.between)) {
      const [low, high] = n.between;
      const ok = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
      if (n.between.length !== 2 || !ok(low) || !ok(high))
        return [{ path: [...path, 'between'], message: 'must be [low, high] with numbers or null (open)' }];
      return [];
    }
    return [{ path, message: 'an attribute condition needs `in: [..]` or `between: [low, high]`' }];
  }
  return [{ path, message: 'unknown condition: use all, any, not or attribute' }];
}
