// Values in a definition that the warehouse does not know: a service, a stored model version, a county
// or plan. They are not errors (a condition on an unknown value simply selects nobody, and a saved
// audience must keep working when a service is withdrawn), but the builder shows them so a typo is seen.
import { areaTypes, brands } from '../../feeds/contract.ts';
import { type Bilingual, cachedDimensionCatalogue } from '../../metrics/index.ts';
import type { QueryWarehouse } from '../../warehouse/index.ts';
import type { AudienceDefinition, ScoreKind } from './audience-definition.ts';
import { parseAudienceDefinition } from './parse-audience-definition.ts';

export interface ReferenceWarning {
  path: string;
  value: string;
  message: Bilingual;
}

type Reference =
  | { kind: 'service'; path: string; value: string }
  | { kind: 'model'; path: string; value: string; score: ScoreKind }
  | { kind: 'brand' | 'county' | 'plan' | 'gender' | 'area_type'; path: string; value: string };

const genders = ['M', 'F', 'U'];

export async function checkAudienceReferences(
  warehouse: QueryWarehouse,
  definition: unknown,
): Promise<ReferenceWarning[]> {
  const references: Reference[] = [];
  collect(parseAudienceDefinition(definition), '', references);
  if (references.length === 0) return [];
  // Counties and plans from the cached catalogue; model versions by EXISTS, which stops at the first
  // score instead of reading a million to list the versions (this runs on every preview).
  const models = [...new Set(references.flatMap((r) => (r.kind === 'model' ? [`${r.score}:${r.value}`] : [])))];
  const [services, catalogue, found] = await Promise.all([
    warehouse.all<{ v: string }>('SELECT service_id AS v FROM services'),
    cachedDimensionCatalogue(warehouse),
    Promise.all(
      models.map(async (key) => {
        const [score, version] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
        const table = score === 'churn' ? 'mining_churn_scores' : 'mining_propensity_scores';
        const exists = await warehouse.scalar(
          `SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE model_version = ? LIMIT 1)`,
          [version],
        );
        return exists > 0 ? key : null;
      }),
    ),
  ]);
  const valuesOf = (name: 'county' | 'plan') =>
    new Set((catalogue.dimensions.find((d) => d.name === name)?.values ?? []).map((v) => v.value));
  const known: Record<Reference['kind'], Set<string>> = {
    service: new Set(services.map((r) => r.v)),
    model: new Set(),
    brand: new Set(brands),
    county: valuesOf('county'),
    plan: valuesOf('plan'),
    gender: new Set(genders),
    area_type: new Set(areaTypes),
  };
  const modelKeys = new Set(found.filter((k) => k !== null));
  const warnings: ReferenceWarning[] = [];
  for (const ref of references) {
    if (ref.kind === 'model') {
      if (!modelKeys.has(`${ref.score}:${ref.value}`)) {
        warnings.push({
          path: ref.path,
          value: ref.value,
          message: {
            zh: `没有模型版本 ${ref.value} 的${ref.score === 'churn' ? '流失' : '业务倾向'}评分`,
            en: `no ${ref.score} scores of model version ${ref.value}`,
          },
        });
      }
    } else if (!known[ref.kind].has(ref.value)) {
      warnings.push({
        path: ref.path,
        value: ref.value,
        message: { zh: `数据中没有这个取值：${ref.value}`, en: `the warehouse has no ${ref.kind} "${ref.value}"` },
      });
    }
  }
  return warnings;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function collect(node: AudienceDefinition, path: string, out: Reference[]): void {
  if ('all' in node || 'any' in node) {
    const key = 'all' in node ? 'all' : 'any';
    const children = 'all' in node ? node.all : node.any;
    for (const [i, n] of children.entries()) collect(n, join(join(path, key), i), out);
  } else if ('not' in node) collect(node.not, join(path, 'not'), out);
  else if ('attribute' in node) {
    if ('in' in node && node.attribute !== 'age' && node.attribute !== 'tenure_months' && node.attribute !== 'arpu') {
      const kind = node.attribute;
      for (const [i, value] of node.in.entries()) out.push({ kind, path: join(join(path, 'in'), i), value });
    }
  } else if ('holds' in node) out.push({ kind: 'service', path: join(path, 'holds'), value: node.holds });
  else if ('lacks' in node) out.push({ kind: 'service', path: join(path, 'lacks'), value: node.lacks });
  else if ('cancelled' in node) out.push({ kind: 'service', path: join(path, 'cancelled'), value: node.cancelled });
  else if ('uses' in node) out.push({ kind: 'service', path: join(path, 'uses'), value: node.uses });
  else if ('score' in node) {
    out.push({ kind: 'model', path: join(path, 'modelVersion'), value: node.modelVersion, score: node.score });
    if (node.service !== undefined) out.push({ kind: 'service', path: join(path, 'service'), value: node.service });
  } else if ('rule' in node) {
    for (const side of ['lhs', 'rhs'] as const) {
      for (const [i, value] of node.rule[side].entries()) {
        out.push({ kind: 'service', path: `${join(path, `rule.${side}`)}[${i}]`, value });
      }
    }
  }
}
