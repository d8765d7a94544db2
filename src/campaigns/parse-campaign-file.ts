// A campaign file (YAML) or request body (JSON) to a CampaignContent: every problem collected with the
// field, and for a file the line it is on, then one error naming them all (after cube's validation).
import { isNode, parseDocument } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { type CampaignContent, campaignContentSchema } from './campaign-content.ts';
import { checkAudienceDefinition } from './audiences/index.ts';

export interface ContentProblem {
  field: string;
  line?: number;
  message: string;
}

export function parseCampaignYaml(text: string, file: string): CampaignContent {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new AppError('INPUT_INVALID', `not valid YAML: ${first.message.split('\n')[0]}`, {
      location: { file, line: first.linePos?.[0]?.line },
      hint: 'indent with spaces and quote texts that contain ": " or start with a special character',
    });
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineAt(text, node.range[0]);
    }
    return undefined;
  };
  return validateContent(doc.toJS(), { file, lineOf });
}

export function validateContent(
  value: unknown,
  where: { file?: string; lineOf?: (path: readonly PropertyKey[]) => number | undefined } = {},
): CampaignContent {
  const parsed = campaignContentSchema.safeParse(value);
  const problems: ContentProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => problemOf(issue, where.lineOf));
  if (parsed.success) {
    for (const [path, node] of audienceNodes(parsed.data)) {
      const checked = checkAudienceDefinition(node);
      if (checked.ok) continue;
      for (const p of checked.problems) {
        const full = [...path, ...treePath(p.path)];
        problems.push({ field: full.join('.'), line: where.lineOf?.(full), message: p.message });
      }
    }
  }
  if (problems.length === 0 && parsed.success) return parsed.data;
  const first = problems[0]!;
  const list = problems.map((p) => `${p.line ? `line ${p.line}, ` : ''}${p.field || '(top)'}: ${p.message}`);
  throw new AppError('INPUT_INVALID', `campaign has ${problems.length} problem(s): ${list.join('; ')}`, {
    location: { file: where.file, line: first.line, field: first.field },
    hint: 'fix the fields named (see examples/campaigns/planted-offer.yaml for a complete campaign)',
  });
}

function audienceNodes(content: CampaignContent): [PropertyKey[], Record<string, unknown>][] {
  return [
    [['audience'], content.audience],
    ...content.message.variants.map((v, i): [PropertyKey[], Record<string, unknown>] => [
      ['message', 'variants', i, 'when'],
      v.when,
    ]),
  ];
}

function problemOf(
  issue: z.core.$ZodIssue,
  lineOf?: (path: readonly PropertyKey[]) => number | undefined,
): ContentProblem {
  // An unknown field is named itself (and its line), not the object around it.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? `s ${issue.keys.join(', ')}` : ''} (a typo?)`
      : issue.message;
  return { field: path.map(String).join('.'), line: lineOf?.(path), message };
}

/** `all[2].between[0]` (the audience checker's path) as keys: ['all', 2, 'between', 0]; `(root)` as none. */
function treePath(path: string): PropertyKey[] {
  if (path === '' || path === '(root)') return [];
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
