/**
 * Child process of `npm run bench:scale`: the latency of lists filtered by
 * customer, measured from a fresh process of its own (the benchmark's process
 * has just loaded a million rows and would add its own garbage collection to
 * the figures). Sequential requests over one kept-alive connection; prints the
 * latencies (ms) as a JSON array.
 * Usage: node dist/bench/list-latency.js <base-url> <count> <customer-id>...
 */
import { Agent, request } from 'node:http';

const [baseUrl, countText, ...customerIds] = process.argv.slice(2);
if (!baseUrl || !countText || customerIds.length === 0) {
  console.error('usage: list-latency <base-url> <count> <customer-id>...');
  process.exit(2);
}

async function main(): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { 'X-App-Id': 'bench-app', 'X-App-Token': 'bench-secret' };
  const out: number[] = [];
  for (let i = 0; i < Number(countText); i++) {
    const customer = customerIds[(i * 7919) % customerIds.length]!;
    const started = process.hrtime.bigint();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${baseUrl}/v1/publications?customer=${encodeURIComponent(customer)}`,
        { agent, headers },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
    if (status !== 200) throw new Error(`list for ${customer} answered ${status}`);
    out.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  agent.destroy();
  console.log(JSON.stringify(out));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
