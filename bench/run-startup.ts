/**
 * `npm run bench:startup`: start to first answer of the mock's CLI (median of
 * BENCH_STARTS, default 7) next to Prism's, the first start after a spec change
 * (the parsed-spec cache empty), and where the time of a start goes, module by
 * module. Prints only; `npm run bench` records the start time in results.md.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { measureStartup } from './startup-time';
import { killAllStarted } from './support/child-processes';
import { fromRoot } from './support/repo-root';
import { median } from './support/statistics';

const STARTS = Number(process.env.BENCH_STARTS ?? 7);
const SPEC_CACHE = fromRoot('node_modules', '.cache', 'voucherify-publications-mock');

function emptySpecCache(): void {
  try {
    for (const name of readdirSync(SPEC_CACHE)) if (name.startsWith('spec-')) rmSync(`${SPEC_CACHE}/${name}`, { force: true });
  } catch {
    // No cache yet.
  }
}

async function main(): Promise<void> {
  emptySpecCache();
  const cold = await measureStartup('mock');
  const mock: number[] = [];
  const prism: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    mock.push(await measureStartup('mock'));
    if (i < 3) prism.push(await measureStartup('prism'));
  }
  const list = (values: number[]): string => values.map((n) => n.toFixed(0)).join(', ');
  console.log(`mock, start to first answer: median ${median(mock).toFixed(0)} ms (${list(mock)})`);
  console.log(`mock, first start after a spec change (parsed-spec cache empty): ${cold.toFixed(0)} ms`);
  console.log(`Prism static, start to first answer: median ${median(prism).toFixed(0)} ms (${list(prism)})`);

  const breakdown = spawnSync(process.execPath, [fromRoot('dist', 'bench', 'startup-breakdown.js')], { encoding: 'utf8' });
  if (breakdown.status !== 0) throw new Error(`startup-breakdown failed: ${breakdown.stderr}`);
  console.log('\nwhere an in-process start goes (inclusive ms; requires nested by indent, 3 ms and up):');
  for (const line of breakdown.stdout.trim().split('\n')) {
    const row = JSON.parse(line) as { depth: number; name: string; ms: number };
    console.log(`${row.ms.toFixed(1).padStart(8)}  ${'  '.repeat(row.depth)}${row.name}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  killAllStarted();
  process.exit(1);
});
