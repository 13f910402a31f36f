/**
 * `--har`: the Publications exchanges of a capture are checked offline. The
 * fixture holds a conforming list, a create whose voucher carries an
 * undocumented field, and a request to another resource, which is ignored.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHar } from './har';
import { formatConsoleReport } from './reporters/console-reporter';
import { buildJunitReport } from './reporters/junit-reporter';
import { formatJsonReport } from './reporters/json-reporter';

const fixture = join(__dirname, 'fixtures', 'publications.har');
const scratch = mkdtempSync(join(tmpdir(), 'contract-har-'));

describe('checking a HAR capture', () => {
  const report = checkHar(fixture);

  it('the conforming exchange (GET /v1/publications) passes every check that applies', () => {
    const list = report.results.filter((r) => r.operationId === 'listPublications');
    expect(list.filter((r) => r.status === 'failed')).toEqual([]);
    expect(list.find((r) => r.check === 'response_schema_conformance')?.status).toBe('passed');
  });

  it('the drifting exchange (POST /v1/publications) → violation at /voucher/barcode_url, exit 1', () => {
    const failed = report.results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => `${r.check} ${r.operationId}`)).toEqual(['response_schema_conformance createPublication']);
    expect(failed[0]?.failures).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v1/publications',
        pointer: '/voucher/barcode_url',
        keyword: 'additionalProperties',
      }),
    ]);
    expect(report.exitCode).toBe(1);
  });

  it('entries for other resources are ignored', () => {
    expect(report.summary.exchanges).toBe(2);
  });

  it("the capture's credentials appear in no report", () => {
    for (const text of [formatConsoleReport(report), buildJunitReport(report), formatJsonReport(report)]) {
      expect(text).not.toContain('har-token-SECRET-51c2');
      expect(text).not.toContain('har-app-id-7f3a');
    }
  });

  it.each([
    ['a file that does not exist', join(scratch, 'missing.har'), /cannot read --har/],
    ['a file that is not JSON', writeScratch('not-json.har', 'GET /'), /is not JSON/],
    ['JSON that is not a HAR', writeScratch('not-har.har', '{"entries": []}'), /not a HAR document/],
    [
      'a HAR without Publications exchanges',
      writeScratch('empty.har', '{"log": {"entries": []}}'),
      /no Publications exchanges/,
    ],
  ])('%s → could not run, exit 2', (_name, file, reason) => {
    const bad = checkHar(file);
    expect(bad.exitCode).toBe(2);
    expect(bad.reason).toMatch(reason);
  });
});

function writeScratch(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}
