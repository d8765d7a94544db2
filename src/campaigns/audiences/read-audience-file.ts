// An audience from a file (JSON or YAML; JSON is YAML) or from text on the command line. The file may
// hold the definition itself or `{ name, definition }`. Problems name the file, the line and the path
// in the tree, so the fix is found without counting brackets.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { AppError } from '../../shared/errors.ts';
import type { AudienceDefinition } from './audience-definition.ts';
import { checkAudienceDefinition } from './parse-audience-definition.ts';

export interface AudienceInput {
  name?: string;
  definition: AudienceDefinition;
}

export function readAudienceFile(file: string): AudienceInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('INPUT_INVALID', `cannot read the audience file: ${(error as Error).message}`, {
      location: { file },
      hint: 'give the path of a JSON or YAML file with the definition',
      cause: error,
    });
  }
  return parseAudienceText(text, file);
}

/** `source` names the text in errors: a file name, or `--definition`. */
export function parseAudienceText(text: string, source: string): AudienceInput {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    throw new AppError('INPUT_INVALID', `not valid JSON or YAML: ${error.message.split('\n')[0]}`, {
      location: { file: source, ...(error.linePos ? { line: error.linePos[0].line } : {}) },
      hint: 'check the brackets, quotes and commas near that line',
    });
  }
  const value = document.toJS() as unknown;
  const wrapped = value !== null && typeof value === 'object' && 'definition' in value;
  const definition = wrapped ? (value as { definition: unknown }).definition : value;
  const name = wrapped ? (value as { name?: unknown }).name : undefined;
  if (name !== undefined && typeof name !== 'string') {
    throw new AppError('INPUT_INVALID', 'name must be text', { location: { file: source, field: 'name' } });
  }
  const result = checkAudienceDefinition(definition);
  if (result.ok) return { definition: result.definition, ...(name ? { name } : {}) };
  const first = result.problems[0]!;
  const keys = [...(wrapped ? ['definition'] : []), ...pathKeys(first.path)];
  // The line of the deepest node that exists on the problem's path (a missing field: its parent).
  let line: number | undefined;
  for (let n = keys.length; n >= 0 && line === undefined; n--) {
    const node = document.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) line = lines.linePos(node.range[0]).line;
  }
  throw new AppError('INPUT_INVALID', result.problems.map((p) => `${p.path}: ${p.message}`).join('; '), {
    location: { file: source, ...(line !== undefined ? { line } : {}) },
    hint: 'see docs/audiences.md for every kind of condition',
  });
}

/** `all[2].between[0]` -> ['all', 2, 'between', 0]. */
function pathKeys(path: string): (string | number)[] {
  if (path === '(root)') return [];
  const keys: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    keys.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  }
  return keys;
}
