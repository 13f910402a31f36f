/**
 * The load balancer of `npm run bench`'s three-process PostgreSQL run: a bare
 * TCP proxy that hands each new connection to the next backend in turn (round
 * robin per connection, as autocannon keeps its connections open) and pipes
 * bytes both ways. It runs in its own process, pinned to the load
 * generator's core, so it takes no CPU from the servers under test.
 * Usage: node dist/bench/round-robin-proxy.js <port> <host:port> [<host:port> …]
 */
import { type Socket, connect, createServer } from 'node:net';

const [portText = '0', ...backendTexts] = process.argv.slice(2);
const backends = backendTexts.map((text) => {
  const [host = '127.0.0.1', port = ''] = text.split(':');
  return { host, port: Number(port) };
});
if (backends.length === 0 || backends.some((b) => !Number.isInteger(b.port) || b.port <= 0)) {
  console.error('usage: round-robin-proxy <port> <host:port> [<host:port> …]');
  process.exit(2);
}

let next = 0;

function closeBoth(a: Socket, b: Socket): void {
  a.destroy();
  b.destroy();
}

const server = createServer((client) => {
  const backend = backends[next % backends.length]!;
  next += 1;
  const upstream = connect(backend.port, backend.host);
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  client.pipe(upstream);
  upstream.pipe(client);
  client.on('error', () => closeBoth(client, upstream));
  upstream.on('error', () => closeBoth(client, upstream));
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
});

server.listen(Number(portText), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`listening on http://127.0.0.1:${port}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
