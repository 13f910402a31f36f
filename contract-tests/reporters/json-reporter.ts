/**
 * The JSON report: the whole `ContractReport` (results, located failures, and
 * every exchange with credential headers masked), for tools and dashboards.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ContractReport } from '../report';

export function formatJsonReport(report: ContractReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function writeJsonReport(report: ContractReport, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, formatJsonReport(report));
}
