// Reads a rule file and validates every rule and geofence, collecting each problem with the rule it
// belongs to and its path (after cube-js), then failing once with all of them.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { GeofenceDefinition } from '../geofences/geofences.ts';
import {
  geofenceSchema,
  type RuleDefinition,
  type RuleFileDefaults,
  ruleFileSchema,
  ruleSchema,
} from './rule-schema.ts';

export interface RuleFile {
  defaults: RuleFileDefaults;
  geofences: GeofenceDefinition[];
  rules: RuleDefinition[];
}

export interface RuleProblem {
  rule?: string;
  path: string;
  message: string;
}

export function readRuleFile(path: string): RuleFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('INPUT_INVALID', `cannot read rule file: ${(error as Error).message}`, {
      location: { file: path },
    });
  }
  return parseRuleText(text, path);
}

export function parseRuleText(text: string, file = 'rules'): RuleFile {
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new AppError(
      'RULE_INVALID',
      `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      {
        location: { file },
      },
    );
  }
  const head = ruleFileSchema.safeParse(data ?? {});
  if (!head.success) throw ruleError(file, issuesOf(head.error, ''));
  const problems: RuleProblem[] = [];
  const rules: RuleDefinition[] = [];
  head.data.rules.forEach((raw, i) => {
    const name =
      typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
        ? (raw as { id: string }).id
        : undefined;
    const parsed = ruleSchema.safeParse(raw);
    if (!parsed.success) problems.push(...issuesOf(parsed.error, `rules[${i}]`, name));
    else rules.push(parsed.data);
  });
  const geofences = head.data.geofences as GeofenceDefinition[];
  problems.push(...checkReferences(rules, geofences));
  if (problems.length > 0) throw ruleError(file, problems);
  return {
    defaults: { quiet_hours: head.data.quiet_hours, control: head.data.control, cap_days: head.data.cap_days },
    geofences,
    rules,
  };
}

/** Validates one rule (from the API): returns it or the problems. */
export function validateRule(
  raw: unknown,
  knownGeofences: readonly string[],
): { rule: RuleDefinition } | { problems: RuleProblem[] } {
  const name =
    typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
      ? (raw as { id: string }).id
      : undefined;
  const parsed = ruleSchema.safeParse(raw);
  if (!parsed.success) return { problems: issuesOf(parsed.error, '', name) };
  const problems = checkReferences(
    [parsed.data],
    knownGeofences.map((id) => ({ id })),
  );
  return problems.length > 0 ? { problems } : { rule: parsed.data };
}

export function validateGeofence(raw: unknown): { geofence: GeofenceDefinition } | { problems: RuleProblem[] } {
  const parsed = geofenceSchema.safeParse(raw);
  if (!parsed.success) return { problems: issuesOf(parsed.error, '') };
  return { geofence: parsed.data as GeofenceDefinition };
}

function checkReferences(rules: readonly RuleDefinition[], geofences: readonly { id: string }[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const known = new Set(geofences.map((g) => g.id));
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) problems.push({ rule: rule.id, path: 'id', message: 'another rule has the same id' });
    seen.add(rule.id);
    for (const fence of rule.where?.geofences ?? [])
      if (!known.has(fence))
        problems.push({
          rule: rule.id,
          path: 'where.geofences',
          message: `unknown geofence "${fence}" (known: ${[...known].join(', ') || 'none'})`,
        });
    for (const key of Object.keys(rule.message.variants))
      if (!(rule.where?.geofences ?? []).includes(key))
        problems.push({
          rule: rule.id,
          path: `message.variants.${key}`,
          message: `"${key}" is not one of the rule's geofences`,
        });
    if (rule.where?.dwell !== undefined && rule.where.on === 'enter')
      problems.push({
        rule: rule.id,
        path: 'where.dwell',
        message: 'dwell applies to on: inside or on: leave, not enter',
      });
  }
  return problems;
}

function issuesOf(error: z.ZodError, prefix: string, rule?: string): RuleProblem[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
      .filter((p) => p !== '')
      .join('.')
      .replace(/\.\[/g, '[');
    return { ...(rule ? { rule } : {}), path: path || '(top)', message: issue.message };
  });
}

export function describeProblems(problems: readonly RuleProblem[]): string {
  return problems.map((p) => `${p.rule ? `rule ${p.rule}: ` : ''}${p.path}: ${p.message}`).join('\n  ');
}

function ruleError(file: string, problems: RuleProblem[]): AppError {
  return new AppError('RULE_INVALID', `${problems.length} problem(s) in ${file}:\n  ${describeProblems(problems)}`, {
    location: { file },
    hint: 'see docs/stream.md for the rule format',
  });
}
