/**
 * The JUnit XML report (junit-report-builder): one testsuite per family, one
 * testcase per check and operation. A failure's message is its first kind
 * of violation (grouped by pointer pattern, as the console prints them); the
 * full list of kinds goes in the failure's body. A run that could not
 * start is one errored testcase, so CI shows why.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import junit from 'junit-report-builder';
import type { CheckResult, ContractReport } from '../report';
import { formatGroup, formatGroupRequest, groupFailures } from './group-failures';
import { formatReproduction } from './format-reproduction';

function describeFailures(result: CheckResult): string {
  const failures = groupFailures(result.failures)
    .map((group) => `${formatGroupRequest(group)}\n  ${formatGroup(group)}`)
    .join('\n');
  // A generated failure's body ends with its minimal case, ready to paste.
  const reproduction = result.failures.find((f) => f.reproduction)?.reproduction;
  return reproduction ? `${failures}\n\n${formatReproduction(reproduction).join('\n')}` : failures;
}

export function buildJunitReport(report: ContractReport): string {
  const builder = junit.newBuilder();
  const families = [
    ['conformance', report.results.filter((r) => r.family === 'conformance')],
    ['behaviour', report.results.filter((r) => r.family === 'behaviour')],
    ['generated', report.results.filter((r) => r.family === 'generated')],
  ] as const;
  for (const [family, results] of families) {
    if (!results.length) continue;
    const suite = builder.testSuite().name(`Publications contract: ${family}`).timestamp(report.startedAt);
    suite.property('target', report.target).property('checks', report.settings.checks);
    if (family === 'generated' && report.settings.fuzz)
      suite.property('fuzz', String(report.settings.fuzz.cases)).property('seed', String(report.settings.fuzz.seed));
    for (const result of results) {
      const testCase = suite
        .testCase()
        .className(`publications.${family}.${result.check}`)
        .name(`${result.check} ${result.method} ${result.path}`)
        .time(result.durationMs / 1000);
      if (result.status === 'failed') {
        const [first] = groupFailures(result.failures);
        testCase
          .failure(
            first ? `${first.failure.method} ${first.failure.path} ${formatGroup(first)}` : 'failed',
            'ContractViolation',
          )
          .stacktrace(describeFailures(result));
      } else if (result.status === 'error') {
        testCase.error(result.reasons.join('; ') || 'could not complete', 'CouldNotRun');
      } else if (result.status === 'skipped' || result.status === 'not_applicable') {
        testCase.skipped().standardOutput(result.reasons.join('; ') || 'not applicable: no answer this check judges');
      }
    }
  }
  if (report.exitCode === 2 && !report.results.length) {
    const suite = builder.testSuite().name('Publications contract').timestamp(report.startedAt);
    suite.testCase().className('publications.run').name('contract run').error(report.reason, 'CouldNotRun');
  }
  return builder.build();
}

export function writeJunitReport(report: ContractReport, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, buildJunitReport(report));
}
