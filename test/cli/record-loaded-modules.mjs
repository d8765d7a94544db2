// Preloaded with `node --import` by startup.test.ts: records the URL of every module the process
// resolves and writes them, one a line, to the file named by TELMARK_RECORD_MODULES at exit.
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;
const { port1, port2 } = new MessageChannel();
const loaded = new Set();
port1.on('message', (url) => loaded.add(url));
port1.unref();
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });
process.on('exit', () => {
  if (process.env.TELMARK_RECORD_MODULES) writeFileSync(process.env.TELMARK_RECORD_MODULES, [...loaded].join('\n'));
});
