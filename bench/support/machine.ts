/** A one-paragraph description of the machine a benchmark ran on, for bench/results.md. */
import { arch, cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';

export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  const gib = (bytes: number): string => (bytes / 2 ** 30).toFixed(1);
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
  return (
    `${cores.length} × ${model}, ${gib(totalmem())} GiB RAM (${gib(freemem())} GiB free), ` +
    `${platform()} ${release()} ${arch()}, Node ${process.version}; load average at start ${load} (1/5/15 min)`
  );
}

export function loadNow(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
}
