/**
 * Wall time of a full contract-suite run (`runContract` from
 * contract-tests/runner.ts) against a freshly started local mock. The suite is
 * loaded at run time: while it is being written, a missing or incomplete
 * runner gives "not measured yet" instead of breaking the benchmark.
 */
import { existsSync } from 'node:fs';
import { fromRoot } from './support/repo-root';
import { startMock } from './support/servers';

export type ContractTiming = { measured: true; ms: number; outcome: string } | { measured: false; reason: string };

type RunContract = (options: {
  target: string;
  credentials: { kind: 'pair'; appId: string; appToken: string };
}) => Promise<unknown>;

async function loadRunner(): Promise<RunContract | string> {
  const file = fromRoot('dist', 'contract-tests', 'runner.js');
  if (!existsSync(file)) return 'contract-tests/runner.ts is not there yet';
  let mod: unknown;
  try {
    mod = await import(file);
  } catch (error) {
    return `contract-tests/runner.ts does not load: ${error instanceof Error ? error.message : String(error)}`;
  }
  const run = (mod as { runContract?: unknown } | null)?.runContract;
  return typeof run === 'function' ? (run as RunContract) : 'contract-tests/runner.ts exports no runContract yet';
}

function outcomeOf(report: unknown): string {
  const r = report as { outcome?: unknown; summary?: { checks?: unknown; passed?: unknown; failed?: unknown } } | null;
  const s = r?.summary;
  const counts = s && typeof s.checks === 'number' ? `, ${String(s.passed)}/${String(s.checks)} checks passed` : '';
  return `${typeof r?.outcome === 'string' ? r.outcome : 'unknown outcome'}${counts}`;
}

export async function timeContractRun(): Promise<ContractTiming> {
  const runContract = await loadRunner();
  if (typeof runContract === 'string') return { measured: false, reason: runContract };
  const mock = await startMock();
  try {
    const started = process.hrtime.bigint();
    const report = await runContract({
      target: mock.baseUrl,
      credentials: { kind: 'pair', appId: 'bench-app', appToken: 'bench-secret' },
    });
    return { measured: true, ms: Number(process.hrtime.bigint() - started) / 1e6, outcome: outcomeOf(report) };
  } catch (error) {
    return { measured: false, reason: `the run failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    await mock.stop();
  }
}
