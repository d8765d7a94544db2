// autocannon in a process of its own, as the clients of a real server are: run inside the server's
// process, its request building and response parsing took turns on the server's event loop and
// counted in the server's latencies and CPU. Prints one JSON line with the p95, rate and counts.
// Usage: node http-load-process.mjs URL TOKEN SECONDS CONNECTIONS PATH [SUBSCRIBERS]
// PATH is a fixed path, or one containing {msisdn}: a random existing number of SUBSCRIBERS per request.
import autocannon from 'autocannon';

const [url, token, seconds, connections, path, subscribers] = process.argv.slice(2);
const count = Number(subscribers ?? '0');
const nextPath = path.includes('{msisdn}')
  ? () => path.replace('{msisdn}', `138${String(Math.floor(Math.random() * count)).padStart(8, '0')}`)
  : () => path;
const latencies = [];
const instance = autocannon(
  {
    url,
    connections: Number(connections),
    duration: Number(seconds),
    headers: { authorization: `Bearer ${token}` },
    requests: [
      {
        setupRequest: (request) => {
          request.path = nextPath();
          return request;
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      console.error(String(error));
      process.exit(1);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        p95: latencies[Math.floor(latencies.length * 0.95)] ?? null,
        p50: latencies[Math.floor(latencies.length * 0.5)] ?? null,
        perSecond: result.requests.average,
        requests: result.requests.total,
        non2xx: result.non2xx,
      }),
    );
  },
);
instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
