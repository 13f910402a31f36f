/**
 * bench/results.md holds hand-written notes (profiles, before/after) and the
 * latest run of each benchmark. A run replaces only its own section, between
 * `<!-- name:start -->` and `<!-- name:end -->`, and leaves the rest alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fromRoot } from './repo-root';

export const RESULTS_FILE = fromRoot('bench', 'results.md');

export function writeSection(name: string, markdown: string, file = RESULTS_FILE): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${text.slice(0, from)}${block}${text.slice(to + end.length)}`
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
