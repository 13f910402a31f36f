/**
 * `npm run bench:startup`: how long a user waits for the commands the READMEs
 * give. Start to first answer of `npm start` (the README's command, spawned as
 * typed, median of BENCH_STARTS, default 9), of the built CLI alone
 * (`node dist/src/cli.js`) and of Prism; the first start after a spec change
 * (the parsed-spec cache empty); `npm start -- --help` and a whole
 * `npm run contract` against a running mock, each to its exit; and where the
 * time of an in-process start goes, module by module. Prints the figures and
 * writes them to bench/results.md (section `startup`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { NPM, type StartTarget, measureCommand, measureStartup } from './startup-time';
import { killAllStarted } from './support/child-processes';
import { describeMachine, loadNow } from './support/machine';
import { fromRoot } from './support/repo-root';
import { writeSection } from './support/results-file';
import { startMock } from './support/servers';
import { median } from './support/statistics';

const STARTS = Number(process.env.BENCH_STARTS ?? 9);
const TARGET_MS = 600;
const SPEC_CACHE = fromRoot('node_modules', '.cache', 'voucherify-publications-mock');

function emptySpecCache(): void {
  try {
    for (const name of readdirSync(SPEC_CACHE))
      if (name.startsWith('spec-')) rmSync(`${SPEC_CACHE}/${name}`, { force: true });
  } catch {
    // No cache yet.
  }
}

interface Figure {
  what: string;
  values: number[];
}

const list = (values: number[]): string => values.map((n) => n.toFixed(0)).join(', ');
const range = (values: number[]): string => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;

async function main(): Promise<void> {
  const machine = describeMachine();
  // One start first so the build's freshness check and the caches are as a user's second start finds them.
  await measureStartup('npm-start');
  emptySpecCache();
  const cold = await measureStartup('mock');

  const samples: Record<StartTarget, number[]> = { 'npm-start': [], mock: [], prism: [] };
  // Interleaved: a burst of outside load hits every target alike.
  for (let i = 0; i < STARTS; i++) {
    samples['npm-start'].push(await measureStartup('npm-start'));
    samples.mock.push(await measureStartup('mock'));
    if (i < 3) samples.prism.push(await measureStartup('prism'));
  }
  const help: number[] = [];
  for (let i = 0; i < 3; i++) help.push(await measureCommand(NPM, ['start', '--silent', '--', '--help']));
  const contract: number[] = [];
  const mock = await startMock();
  try {
    for (let i = 0; i < 3; i++) {
      contract.push(
        await measureCommand('sh', [
          '-c',
          `VOUCHERIFY_APP_ID=dev VOUCHERIFY_APP_TOKEN=dev ${NPM} run --silent contract -- --target ${mock.baseUrl}`,
        ]),
      );
    }
  } finally {
    await mock.stop();
  }

  const figures: Figure[] = [
    { what: "`npm start` → first 200 (the README's command)", values: samples['npm-start'] },
    { what: '`node dist/src/cli.js` → first 200 (the built CLI alone)', values: samples.mock },
    { what: 'Prism static (`prism mock spec/…`) → first 200', values: samples.prism },
    { what: '`npm start -- --help` → exit', values: help },
    { what: '`npm run contract -- --target <local mock>` → exit (a whole --checks all run)', values: contract },
  ];
  for (const f of figures) console.log(`${f.what}: median ${median(f.values).toFixed(0)} ms (${list(f.values)})`);
  console.log(`mock, first start after a spec change (parsed-spec cache empty): ${cold.toFixed(0)} ms`);

  const breakdown = spawnSync(process.execPath, [fromRoot('dist', 'bench', 'startup-breakdown.js')], {
    encoding: 'utf8',
  });
  if (breakdown.status !== 0) throw new Error(`startup-breakdown failed: ${breakdown.stderr}`);
  const rows = breakdown.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { depth: number; name: string; ms: number });
  console.log('\nwhere an in-process start goes (inclusive ms; requires nested by indent, 3 ms and up):');
  for (const row of rows) console.log(`${row.ms.toFixed(1).padStart(8)}  ${'  '.repeat(row.depth)}${row.name}`);

  const npmStart = median(samples['npm-start']);
  const table = [
    '| command | median | range | runs |',
    '| --- | --- | --- | --- |',
    ...figures.map(
      (f) => `| ${f.what} | ${median(f.values).toFixed(0)} ms | ${range(f.values)} ms | ${f.values.length} |`,
    ),
    `| first start after a spec change (parsed-spec cache empty), built CLI | ${cold.toFixed(0)} ms | | 1 |`,
  ];
  const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
  writeSection(
    'startup',
    [
      `### npm run bench:startup (${stamp} UTC)`,
      '',
      `Machine: ${machine}; load average after the runs ${loadNow()}.`,
      `Each start is spawned as typed (\`npm start\` with the port in ` +
        `\`PORT\`; the build up to date, so \`npm start\` only checks it) and ` +
        `polled every 2 ms with a fresh connection until the steady request ` +
        `(\`GET /v1/publications/create\`, join_once) answers 200. Starts are ` +
        `interleaved (npm start, the CLI alone, Prism for the first 3 rounds); ` +
        `not pinned to a core.`,
      '',
      ...table,
      '',
      `Target: \`npm start\` to first answer ≤ ${TARGET_MS} ms: ` +
        `${npmStart <= TARGET_MS ? '**met**' : '**missed**'} (median ` +
        `${npmStart.toFixed(0)} ms; individual starts: ` +
        `${list(samples['npm-start'])} ms).`,
      '',
      'Where an in-process start goes (inclusive ms, 3 ms and up):',
      '',
      '```text',
      ...rows.map((row) => `${row.ms.toFixed(1).padStart(8)}  ${'  '.repeat(row.depth)}${row.name}`),
      '```',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  killAllStarted();
  process.exit(1);
});
