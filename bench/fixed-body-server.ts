/**
 * The ceiling of `npm run bench`: a bare node:http server that answers every
 * GET with one fixed body and every POST (after reading it) with another,
 * both copies of the mock's own answers, so only the per-request work differs.
 * Usage: node dist/bench/fixed-body-server.js <port> <get-body-file> <post-body-file>
 */
import { readFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const [portText = '0', getFile, postFile] = process.argv.slice(2);
if (!getFile || !postFile) {
  console.error('usage: fixed-body-server <port> <get-body-file> <post-body-file>');
  process.exit(2);
}
const bodies = { GET: readFileSync(getFile), POST: readFileSync(postFile) };

function answer(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (req.method === 'POST') {
    req.resume();
    req.on('end', () => answer(res, bodies.POST));
    return;
  }
  answer(res, bodies.GET);
});
server.listen(Number(portText), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
