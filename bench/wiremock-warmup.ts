/**
 * How long WireMock's JVM needs under load to reach its peak, the figure the
 * bench's `--jvm-warmup` default rests on: a fresh WireMock (pinned to one
 * core, the mock's steady answer as its one stub) loaded in back-to-back
 * windows of the steady request, req/s per window printed as it goes.
 * Usage: node scripts/run-built.js dist/bench/wiremock-warmup.js [total seconds (120)] [window seconds (10)]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllStarted } from './support/child-processes';
import { describePinning } from './support/cpu-pinning';
import { probe } from './support/http-probe';
import { runLoad } from './support/load-run';
import { loadNow } from './support/machine';
import { formatNumber } from './support/markdown';
import { startWiremock, wiremockAvailability } from './support/peer-servers';
import { type RunningServer, startMock } from './support/servers';
import { buildWiremockMappings } from './support/wiremock-stubs';
import { STEADY } from './workloads';

async function main(): Promise<void> {
  const totalSec = Number(process.argv[2] ?? 120);
  const windowSec = Number(process.argv[3] ?? 10);
  const availability = wiremockAvailability();
  if (!availability.available) {
    console.log(`WireMock skipped: ${availability.reason}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'publications-wiremock-warmup-'));
  const servers: RunningServer[] = [];
  try {
    const mock = await startMock();
    servers.push(mock);
    const answer = await probe({ url: `${mock.baseUrl}${STEADY.path}`, headers: STEADY.headers });
    await mock.stop();
    servers.pop();
    const wiremock = await startWiremock(
      buildWiremockMappings([
        {
          method: 'GET',
          path: STEADY.path,
          status: answer.status,
          contentType: answer.contentType,
          body: answer.body.toString(),
        },
      ]),
      dir,
    );
    servers.push(wiremock);
    console.log(`WireMock, steady request, ${windowSec} s windows; ${describePinning()}; load average ${loadNow()}`);
    for (let elapsed = 0; elapsed < totalSec; elapsed += windowSec) {
      const result = await runLoad({
        url: `${wiremock.baseUrl}${STEADY.path}`,
        method: 'GET',
        headers: STEADY.headers,
        connections: 10,
        durationSec: windowSec,
      });
      console.log(
        `${String(elapsed).padStart(4)}–${elapsed + windowSec} s: ` +
          `${formatNumber(result.rps)} req/s, p99 ${result.p99Ms} ms (load ` +
          `${loadNow()})`,
      );
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  killAllStarted();
  process.exit(1);
});
