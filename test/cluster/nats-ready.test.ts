// Ready means a client can connect. nats-server answers on its monitor port (JetStream on) before it
// listens for clients; a test that connected at that moment was refused ("connection refused" in one
// of eight full runs beside a CPU hog). A stand-in node here answers /jsz at once and opens its client
// port only later: the wait must last until then.
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { after, test } from 'node:test';
import { freePorts } from '../../src/cluster/free-port.ts';
import { waitUntilReady } from '../../src/cluster/nats-nodes.ts';

const closers: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

test('the nodes are ready only once their client port takes connections, not when the monitor first answers', async () => {
  const [clientPort, monitorPort] = (await freePorts(2)) as [number, number];
  const monitor = createHttpServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ disabled: false })); // a single node with JetStream on
  });
  await new Promise<void>((resolve) => monitor.listen(monitorPort, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => monitor.close(resolve)));

  const opensAfterMs = 1500;
  const started = Date.now();
  let listeningAt = 0;
  const clients = createServer((socket) => socket.destroy()).unref();
  const opening = setTimeout(() => {
    clients.listen(clientPort, '127.0.0.1', () => {
      listeningAt = Date.now();
    });
  }, opensAfterMs);
  closers.push(async () => {
    clearTimeout(opening);
    if (clients.listening) await new Promise((resolve) => clients.close(resolve));
  });

  await waitUntilReady([{ name: 'n0', pid: process.pid, clientPort, monitorPort, folder: tmpdir() }]);
  assert.ok(listeningAt > 0, `ready after ${Date.now() - started} ms, before the client port listened`);
  assert.ok(Date.now() - started >= opensAfterMs);
});
