// Reads a rule file and validates every rule and geofence, collecting each problem with the rule or
// geofence it belongs to and its path (after cube-js), then failing once with all of them: the file's
// keys, every geofence and rule, duplicate ids, and references (geofences, cells, counties, regions,
// services) in one round.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
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
import { checkGeofenceReferences, checkRuleReferences, type RuleReferences } from './rule-references.ts';

export interface RuleFile {
  defaults: RuleFileDefaults;
  geofences: GeofenceDefinition[];
  rules: RuleDefinition[];
}

export interface RuleProblem {
  rule?: string;
  geofence?: string;
  path: string;
  message: string;
}

export function readRuleFile(path: string, references: RuleReferences = {}): RuleFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('INPUT_INVALID', `cannot read rule file: ${(error as Error).message}`, {
      location: { file: path },
    });
  }
  return parseRuleText(text, path, references);
}

export function parseRuleText(text: string, file = 'rules', references: RuleReferences = {}): RuleFile {
  const data = parseFileText(text, file);
  // One round: the file's own keys, every geofence, every rule, then every reference, all collected.
  const problems: RuleProblem[] = [];
  const top = typeof data === 'object' && data !== null && !Array.isArray(data) ? data : undefined;
  if (data !== null && data !== undefined && !top)
    problems.push({
      path: '(top)',
      message: 'a rule file is a mapping with quiet_hours, control, cap_days, geofences and rules',
    });
  const head = ruleFileSchema.safeParse(top ?? {});
  if (!head.success) problems.push(...issuesOf(head.error, ''));
  const rawFences = listAt(top, 'geofences');
  const rawRules = listAt(top, 'rules');

  const geofences: GeofenceDefinition[] = [];
  const fenceIds = new Map<string, number>();
  rawFences.forEach((raw, i) => {
    const name = idOf(raw);
    if (name !== undefined) {
      const first = fenceIds.get(name);
      if (first !== undefined)
        problems.push({
          geofence: name,
          path: `geofences[${i}].id`,
          message: `another geofence has the same id (geofences[${first}]); the second would silently replace the first`,
        });
      else fenceIds.set(name, i);
    }
    const parsed = geofenceSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...issuesOf(parsed.error, `geofences[${i}]`).map((p) => labelled(p, name)));
      return;
    }
    const geofence = parsed.data as GeofenceDefinition;
    for (const problem of checkGeofenceReferences(geofence, references))
      problems.push({ geofence: name, path: `geofences[${i}].${problem.path}`, message: problem.message });
    geofences.push(geofence);
  });

  const rules: RuleDefinition[] = [];
  const ruleIds = new Map<string, number>();
  rawRules.forEach((raw, i) => {
    const name = idOf(raw);
    if (name !== undefined) {
      const first = ruleIds.get(name);
      if (first !== undefined)
        problems.push({
          rule: name,
          path: `rules[${i}].id`,
          message: `another rule has the same id (rules[${first}])`,
        });
      else ruleIds.set(name, i);
    }
    const parsed = ruleSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...issuesOf(parsed.error, `rules[${i}]`, name));
      return;
    }
    for (const problem of checkRuleReferences(parsed.data, references))
      problems.push({ rule: name, path: `rules[${i}].${problem.path}`, message: problem.message });
    rules.push(parsed.data);
  });
  // A geofence that failed its own checks is still known by id, so its rules do not report it missing too.
  problems.push(...checkReferences(rules, [...fenceIds.keys()]));
  if (problems.length > 0 || !head.success) throw ruleError(file, problems);
  return {
    defaults: { quiet_hours: head.data.quiet_hours, control: head.data.control, cap_days: head.data.cap_days },
    geofences,
    rules,
  };
}

/** The file's syntax: every YAML error at once (with line and column), or the JSON error. */
function parseFileText(text: string, file: string): unknown {
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new AppError('RULE_INVALID', `not valid JSON: ${(error as Error).message}`, { location: { file } });
    }
  }
  const document = parseDocument(text);
  if (document.errors.length > 0)
    throw ruleError(
      file,
      document.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(file)',
        // The first line of the message, without the code frame and the position it repeats.
        message: `not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    );
  return document.toJS();
}

function listAt(top: object | undefined, key: 'geofences' | 'rules'): unknown[] {
  const value = (top as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(value) ? value : [];
}

function idOf(raw: unknown): string | undefined {
  return typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
    ? (raw as { id: string }).id
    : undefined;
}

function labelled(problem: RuleProblem, geofence: string | undefined): RuleProblem {
  return geofence === undefined ? problem : { geofence, ...problem };
}

/** Validates one rule (from the API): returns it or the problems. */
export function validateRule(
  raw: unknown,
  knownGeofences: readonly string[],
  references: RuleReferences = {},
): { rule: RuleDefinition } | { problems: RuleProblem[] } {
  const name = idOf(raw);
  const parsed = ruleSchema.safeParse(raw);
  if (!parsed.success) return { problems: issuesOf(parsed.error, '', name) };
  const problems = [
    ...checkReferences([parsed.data], knownGeofences),
    ...checkRuleReferences(parsed.data, references).map((p) => ({ rule: name, ...p })),
  ];
  return problems.length > 0 ? { problems } : { rule: parsed.data };
}

/** Validates one geofence (from the API): returns it or the problems, unknown cells, counties and regions included. */
export function validateGeofence(
  raw: unknown,
  references: RuleReferences = {},
): { geofence: GeofenceDefinition } | { problems: RuleProblem[] } {
  const parsed = geofenceSchema.safeParse(raw);
  if (!parsed.success) return { problems: issuesOf(parsed.error, '') };
  const geofence = parsed.data as GeofenceDefinition;
  const problems = checkGeofenceReferences(geofence, references);
  return problems.length > 0 ? { problems } : { geofence };
}

function checkReferences(rules: readonly RuleDefinition[], geofenceIds: readonly string[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const known = new Set(geofenceIds);
  for (const rule of rules) {
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
  return problems
    .map((p) => `${p.rule ? `rule ${p.rule}: ` : p.geofence ? `geofence ${p.geofence}: ` : ''}${p.path}: ${p.message}`)
    .join('\n  ');
}

function ruleError(file: string, problems: RuleProblem[]): AppError {
  return new AppError('RULE_INVALID', `${problems.length} problem(s) in ${file}:\n  ${describeProblems(problems)}`, {
    location: { file },
    hint: 'see docs/stream.md for the rule format',
  });
}
