// Free loopback ports for local servers: the OS picks them (listen on port 0), so two clusters, or a
// cluster beside a test, never collide on a fixed port.
import { createServer } from 'node:net';

/** `count` distinct ports free at the time of asking, on 127.0.0.1. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    }),
  );
  // All held open together, so the OS cannot hand the same port out twice.
  const ports = servers.map((s) => {
    const address = s.address();
    return typeof address === 'object' && address ? address.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}
