// Validates an audience tree node by node and names each problem by its path in the tree
// (`all[2].between[0]: must be a number`). Every problem is collected first, then reported at once,
// so a person fixes a definition in one round rather than one error per try.
import type { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import {
  type AudienceDefinition,
  attributeBetweenSchema,
  attributeInSchema,
  isCategorical,
  leafSchemas,
} from './audience-definition.ts';

export interface DefinitionProblem {
  /** Where in the tree: `all[2].between[0]`, or `(root)`. */
  path: string;
  message: string;
}

const maxDepth = 20;
const combinators = ['all', 'any', 'not'] as const;

/** The definition, typed, or every problem found in it. */
export function checkAudienceDefinition(
  input: unknown,
): { ok: true; definition: AudienceDefinition } | { ok: false; problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = [];
  checkNode(input, '', 0, problems);
  return problems.length === 0 ? { ok: true, definition: input as AudienceDefinition } : { ok: false, problems };
}

/** The definition, typed; throws INPUT_INVALID naming every problem and its path. */
export function parseAudienceDefinition(input: unknown, source = 'audience definition'): AudienceDefinition {
  const result = checkAudienceDefinition(input);
  if (result.ok) return result.definition;
  const first = result.problems[0]!;
  const lines = result.problems.map((p) => `${p.path}: ${p.message}`);
  return failWith(source, first.path, lines);
}

function failWith(source: string, path: string, lines: string[]): never {
  throw new AppError('INPUT_INVALID', `${source}: ${lines.join('; ')}`, {
    location: { path },
    hint: 'conditions are {"all":[…]}, {"any":[…]}, {"not":…}, {"attribute":NAME,"in":[…]|"between":[low,high]}, {"holds":S}, {"lacks":S}, {"cancelled":S,"withinDays":N}, {"uses":S,"withinDays":N}, {"usage":M,"withinDays":N,"between":[low,high]}, {"segment":BAND,"in":[…]}, {"score":"churn"|"propensity","modelVersion":V,"top":N|"atLeast":X}, {"rule":{"lhs":[…],"rhs":[…]}} (docs/audiences.md)',
  });
}

function at(path: string): string {
  return path === '' ? '(root)' : path;
}

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function checkNode(node: unknown, path: string, depth: number, problems: DefinitionProblem[]): void {
  if (depth > maxDepth) {
    problems.push({ path: at(path), message: `nested more than ${maxDepth} levels deep` });
    return;
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    problems.push({ path: at(path), message: 'must be an object: a condition or an all/any/not group' });
    return;
  }
  const keys = Object.keys(node);
  const combinator = combinators.find((c) => keys.includes(c));
  if (combinator) {
    const extra = keys.filter((k) => k !== combinator);
    if (extra.length > 0)
      problems.push({ path: at(path), message: `unknown field "${extra[0]}" beside "${combinator}"` });
    const value = (node as Record<string, unknown>)[combinator];
    if (combinator === 'not') {
      checkNode(value, child(path, 'not'), depth + 1, problems);
      return;
    }
    if (!Array.isArray(value)) {
      problems.push({ path: child(path, combinator), message: 'must be a list of conditions' });
      return;
    }
    if (combinator === 'any' && value.length === 0) {
      problems.push({
        path: child(path, combinator),
        message: 'must hold at least one condition (an empty "any" selects nobody)',
      });
    }
    value.forEach((item, i) => {
      checkNode(item, child(child(path, combinator), i), depth + 1, problems);
    });
    return;
  }
  const kind = (Object.keys(leafSchemas) as (keyof typeof leafSchemas)[]).find((k) => keys.includes(k));
  if (!kind) {
    problems.push({
      path: at(path),
      message: `is not a condition (fields ${keys.map((k) => `"${k}"`).join(', ') || 'none'}); expected all, any, not, attribute, holds, lacks, cancelled, uses, usage, segment, score or rule`,
    });
    return;
  }
  if (kind === 'attribute') {
    checkAttribute(node as Record<string, unknown>, path, problems);
    return;
  }
  const before = problems.length;
  addIssues(leafSchemas[kind].safeParse(node), path, problems);
  if (problems.length > before) return;
  if (kind === 'score') checkScore(node as Record<string, unknown>, path, problems);
  if (kind === 'usage')
    checkBounds((node as { between: [number | null, number | null] }).between, child(path, 'between'), problems);
}

function checkAttribute(node: Record<string, unknown>, path: string, problems: DefinitionProblem[]): void {
  const name = node.attribute;
  const hasIn = 'in' in node;
  const schema = hasIn ? attributeInSchema : attributeBetweenSchema;
  const before = problems.length;
  if (!hasIn && !('between' in node)) {
    problems.push({
      path: at(path),
      message: `attribute "${String(name)}" needs "in": [values] or "between": [low, high]`,
    });
    return;
  }
  addIssues(schema.safeParse(node), path, problems);
  if (problems.length > before) return;
  const attribute = name as Parameters<typeof isCategorical>[0];
  if (hasIn && !isCategorical(attribute)) {
    problems.push({ path: child(path, 'in'), message: `${attribute} is a number: use "between": [low, high] instead` });
  } else if (!hasIn && isCategorical(attribute)) {
    problems.push({
      path: child(path, 'between'),
      message: `${attribute} takes a list of values: use "in": [...] instead`,
    });
  } else if (!hasIn) {
    checkBounds(node.between as [number | null, number | null], child(path, 'between'), problems);
  }
}

function checkBounds(bounds: [number | null, number | null], path: string, problems: DefinitionProblem[]): void {
  const [low, high] = bounds;
  if (low === null && high === null)
    problems.push({ path, message: 'give at least one bound (null leaves a side open)' });
  else if (low !== null && high !== null && low >= high) {
    problems.push({ path, message: `low ${low} must be below high ${high} (low inclusive, high exclusive)` });
  }
}

function checkScore(node: Record<string, unknown>, path: string, problems: DefinitionProblem[]): void {
  if ((node.top === undefined) === (node.atLeast === undefined)) {
    problems.push({ path: at(path), message: 'give exactly one of "top": N or "atLeast": score' });
  }
  if (node.score === 'propensity' && node.service === undefined) {
    problems.push({ path: child(path, 'service'), message: 'a propensity score needs the service it is for' });
  }
  if (node.score === 'churn' && node.service !== undefined) {
    problems.push({ path: child(path, 'service'), message: 'a churn score is not per service: leave "service" out' });
  }
}

function addIssues(result: z.ZodSafeParseResult<unknown>, path: string, problems: DefinitionProblem[]): void {
  if (result.success) return;
  for (const issue of result.error.issues) {
    let where = path;
    for (const key of issue.path) where = child(where, typeof key === 'number' ? key : String(key));
    problems.push({ path: at(where), message: describeIssue(issue) });
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${issue.expected === 'array' || issue.expected === 'tuple' ? 'a list' : `a ${issue.expected}`}`;
    case 'unrecognized_keys':
      return `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `must have at least ${issue.minimum} value${Number(issue.minimum) === 1 ? '' : 's'}`
        : issue.origin === 'string'
          ? 'must not be empty'
          : `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `must have at most ${issue.maximum} values`
        : `must be at most ${issue.maximum}`;
    default:
      return issue.message;
  }
}
