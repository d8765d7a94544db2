// Issue 10's seam: a route's request types come from its JSON schema (the type provider), never from a
// cast that repeats the schema by hand and drifts from it. A cast of request.body/query/params in a
// route module fails here with the line to change.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const routes = resolve(import.meta.dirname, '../../src/api/routes');

test('route modules take request types from their schemas, not from casts', () => {
  const casts: string[] = [];
  for (const name of readdirSync(routes).filter((n) => n.endsWith('.ts'))) {
    readFileSync(join(routes, name), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/request\.(body|query|params)\s+as\s/.test(line)) casts.push(`${name}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(casts, [], 'use `fastify.withTypeProvider<JsonSchemaToTsProvider>()` and a JSON schema instead');
});

test('every route module that declares a request schema uses the type provider', () => {
  const missing = readdirSync(routes)
    .filter((n) => n.endsWith('.ts'))
    .filter((name) => {
      const text = readFileSync(join(routes, name), 'utf8');
      return /\b(body|querystring|params):\s/.test(text) && !text.includes('withTypeProvider<JsonSchemaToTsProvider>');
    });
  assert.deepEqual(missing, []);
});
