/**
 * The console report: one line per check and operation, and under a failed
 * check one line per distinct violation naming the method, the path, the JSON
 * pointer and "Received … / Documented …". Ends with the exit code and its
 * one-line reason, so a CI log says what broke at a glance.
 */
import type { CheckResult, ContractReport, LocatedFailure, ResultStatus } from '../report';
import { formatGroup, formatGroupRequest, groupFailures } from './group-failures';
import { formatReproduction } from './format-reproduction';

export interface ConsoleOptions {
  color?: boolean;
  /** Kinds of violation (grouped by pointer pattern) shown per check before "… and N more". */
  maxFailuresPerCheck?: number;
}

const LABELS: Record<ResultStatus, string> = {
  passed: 'PASS',
  failed: 'FAIL',
  error: 'ERROR',
  skipped: 'SKIP',
  not_applicable: 'N/A',
};
const COLORS: Record<ResultStatus, number> = { passed: 32, failed: 31, error: 35, skipped: 33, not_applicable: 90 };

export function formatConsoleReport(report: ContractReport, options: ConsoleOptions = {}): string {
  const paint = (status: ResultStatus, text: string): string =>
    options.color ? `\u001b[${COLORS[status]}m${text}\u001b[0m` : text;
  const max = options.maxFailuresPerCheck ?? 8;
  const s = report.settings;
  const lines: string[] = [
    `${report.spec.title} contract (spec ${report.spec.version}) against ${report.target}`,
    s.checks === 'har'
      ? `HAR capture, conformance only; unknown fields ` +
        `${s.allowUnknownFields ? 'allowed (--allow-unknown-fields)' : 'refused'}`
      : `checks: ${s.checks}; unknown fields ` +
        `${s.allowUnknownFields ? 'allowed (--allow-unknown-fields)' : 'refused'}; ` +
        `${s.readOnly ? 'read-only' : 'may write'}; max publications ` +
        `${s.maxPublications ?? 'unlimited'}; run ${report.runId}`,
    ...(s.fuzz
      ? [
          `fuzz: ${s.fuzz.cases} generated requests per operation, seed ` +
            `${s.fuzz.seed}${s.fuzz.timeLimitS === null ? '' : `, at most ${s.fuzz.timeLimitS} s`}`,
        ]
      : []),
    '',
  ];
  if (!report.results.length) return `${lines.join('\n')}exit ${report.exitCode}: ${report.reason}\n`;
  const checkWidth = Math.max(0, ...report.results.map((r) => r.check.length));
  const opWidth = Math.max(0, ...report.results.map((r) => `${r.method} ${r.path}`.length));
  let family = report.results[0]?.family;
  for (const result of report.results) {
    // The generated family under a heading of its own: its checks share names with the conformance family's.
    if (result.family !== family && result.family === 'generated')
      lines.push('', `generated requests (--fuzz ${s.fuzz?.cases ?? '?'}, seed ${s.fuzz?.seed ?? '?'}):`);
    family = result.family;
    const label = paint(result.status, LABELS[result.status].padEnd(5));
    lines.push(
      (
        `${label} ${result.check.padEnd(checkWidth)}  ` +
        `${`${result.method} ${result.path}`.padEnd(opWidth)}  ` +
        `${trailer(result)}`
      ).trimEnd(),
    );
    if (result.status === 'failed') lines.push(...failureLines(result.failures, max), ...reproductionLines(result));
  }
  const skippedByReason = new Map<string, string[]>();
  for (const { scenario, reason } of report.skippedScenarios)
    skippedByReason.set(reason, [...(skippedByReason.get(reason) ?? []), scenario]);
  if (skippedByReason.size) lines.push('');
  for (const [reason, scenarios] of skippedByReason) lines.push(`not sent — ${reason}: ${scenarios.join(', ')}`);
  const sum = report.summary;
  if (report.generated) lines.push('', generatedLine(report.generated));
  lines.push(
    '',
    `${sum.checks} checks: ${sum.passed} passed, ${sum.failed} failed, ` +
      `${sum.errored} errored, ${sum.skipped} skipped, ${sum.notApplicable} ` +
      `not applicable; ` +
      (`${sum.exchanges} exchanges; ` +
        `${s.checks === 'har' ? '' : `${sum.publicationsCreated} publications created; `}` +
        `${(report.durationMs / 1000).toFixed(1)} ` +
        `s`),
    `exit ${report.exitCode}: ${report.reason}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The minimal case of a generated failure, once per check and operation. */
function reproductionLines(result: CheckResult): string[] {
  const reproduction = result.failures.find((f) => f.reproduction)?.reproduction;
  return reproduction ? formatReproduction(reproduction).map((line) => `          ${line}`) : [];
}

function generatedLine(g: NonNullable<ContractReport['generated']>): string {
  const notSent = Object.entries(g.notSent).map(([reason, count]) => `${count} (${reason})`);
  return (
    `generated: ${g.positive} valid and ${g.negative} invalid requests, ` +
    `${g.sequences} sequence${g.sequences === 1 ? '' : 's'}; ` +
    `${g.requests} requests in ${(g.durationMs / 1000).toFixed(1)} s, ${g.shrinkRequests} more to shrink failures` +
    `${notSent.length ? `; not sent: ${notSent.join(', ')}` : ''}` +
    `${g.stoppedByTime ? `; stopped at --fuzz-time ${g.timeLimitS} s` : ''}`
  );
}

function trailer(result: CheckResult): string {
  switch (result.status) {
    case 'passed':
      return `${result.exchanges} exchange${result.exchanges === 1 ? '' : 's'}`;
    case 'failed': {
      const kinds = groupFailures(result.failures).length;
      const places = result.failures.length;
      return kinds === places
        ? `${places} violation${places === 1 ? '' : 's'}`
        : `${places} violations of ${kinds} kind${kinds === 1 ? '' : 's'}`;
    }
    case 'not_applicable':
      return result.reasons.join('; ') || 'no answer it applies to';
    default:
      return result.reasons.join('; ');
  }
}

/** Each kind of violation once (grouped by pointer pattern, with a count), at most `max` of them. */
function failureLines(failures: LocatedFailure[], max: number): string[] {
  const groups = groupFailures(failures);
  const shown = groups
    .slice(0, max)
    .map((group) => `        ${formatGroupRequest(group)}\n          ${formatGroup(group)}`);
  if (groups.length > max) shown.push(`        … and ${groups.length - max} more kinds of violation`);
  return shown;
}
