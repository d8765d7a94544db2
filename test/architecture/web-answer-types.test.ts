// Issue 10's seam, the answer side: the dashboard reads each API answer with the type the server
// defines it by (a response schema's FromSchema type in src/api/schemas, or the domain function's
// result type), imported with `import type`, never a hand-written copy that drifts from the server.
// Every typed API call in web/src (useApi<T>, fetchJson<T>, sendJson<T>, usePolling<T>) must name a
// type imported from src/ (or pass on its own type parameter), web/src may not declare a type under
// a name it imports from src, no page calls fetch() around the typed helpers of web/src/api.ts, and
// no `as unknown as` forces a shape on an answer.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');
const webSrc = join(root, 'web/src');
/** The helpers that read an API answer as T. */
const answerReaders = new Set(['useApi', 'fetchJson', 'sendJson', 'usePolling']);
/** The one module that may call fetch(): it adds the CSRF header and signs out on 401. */
const fetchOwner = 'api.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Names this file imports from a module under src/ (the server's code). */
function namesFromServer(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!/^(\.\.\/)+src\//.test(statement.moduleSpecifier.text)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
  }
  return names;
}

function typeParametersAround(node: ts.Node): Set<string> {
  const names = new Set<string>();
  for (let at: ts.Node | undefined = node; at; at = at.parent) {
    if (ts.isFunctionLike(at)) for (const p of at.typeParameters ?? []) names.add(p.name.text);
  }
  return names;
}

/** Every problem in one source text, as `file:line: what`. */
function answerTypeProblems(name: string, text: string): string[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const fromServer = namesFromServer(file);
  const problems: string[] = [];
  const at = (node: ts.Node) => `${name}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if ((ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) && fromServer.has(node.name.text)) {
      problems.push(`${at(node)}: declares ${node.name.text}, a name it imports from src/ (delete the copy)`);
    }
    // `x as unknown as T` tells the compiler to believe a shape instead of checking it.
    if (ts.isAsExpression(node) && ts.isAsExpression(node.expression)) {
      const inner = node.expression.type;
      if (inner.kind === ts.SyntaxKind.UnknownKeyword || inner.kind === ts.SyntaxKind.AnyKeyword)
        problems.push(`${at(node)}: \`as unknown as ${node.type.getText()}\`: use the answer's own type`);
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const callee = node.expression.text;
      if (callee === 'fetch' && !name.endsWith(fetchOwner)) {
        problems.push(`${at(node)}: fetch() outside ${fetchOwner}: use fetchJson/sendJson/apiFetch`);
      }
      if (answerReaders.has(callee)) {
        for (const argument of node.typeArguments ?? []) {
          const named =
            ts.isTypeReferenceNode(argument) && ts.isIdentifier(argument.typeName) ? argument.typeName.text : undefined;
          const ok = named !== undefined && (fromServer.has(named) || typeParametersAround(node).has(named));
          if (!ok) {
            problems.push(
              `${at(node)}: ${callee}<${argument.getText()}> must name the answer type the server exports (import type … from src/)`,
            );
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return problems;
}

describe('the dashboard reads API answers with the server’s types', () => {
  test('every typed API call in web/src names a type imported from src/, and no copy is kept', () => {
    const problems = sourceFiles(webSrc).flatMap((path) =>
      answerTypeProblems(relative(root, path), readFileSync(path, 'utf8')),
    );
    assert.deepEqual(problems, []);
  });

  test('the check finds a hand-written answer type, an inline one, a kept copy, a bare fetch and a forced cast', () => {
    const page = `
      import type { RewardsList } from '../../../src/stream/index.ts';
      import { useApi, fetchJson } from '../api.ts';
      interface RewardsAnswer { rewards: unknown[] }
      type RewardsList = { rewards: unknown[] };
      export function Page() {
        const a = useApi<RewardsAnswer>('/api/stream/rewards');
        const b = useApi<{ rewards: unknown[] }>('/api/stream/rewards');
        const c = useApi<RewardsList>('/api/stream/rewards');
        void fetch('/api/stream/rewards');
        return c.data as unknown as string[];
      }
      function usePolling<T>(path: string) { return fetchJson<T>(path); }
    `;
    const problems = answerTypeProblems('web/src/pages/example-page.tsx', page);
    assert.equal(problems.length, 5, problems.join('\n'));
    assert.match(problems[0]!, /:5: declares RewardsList/);
    assert.match(problems[1]!, /:7: useApi<RewardsAnswer>/);
    assert.match(problems[2]!, /:8: useApi<\{ rewards: unknown\[\] \}>/);
    assert.match(problems[3]!, /:10: fetch\(\) outside api\.ts/);
    assert.match(problems[4]!, /:11: `as unknown as string\[\]`/);
  });
});
