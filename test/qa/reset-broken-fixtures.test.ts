/**
 * The fixture file is read again on every reset. When it was broken in the
 * meantime, POST /__mock/reset answers 400 invalid_fixtures naming the file
 * and its problems (with line and column), the state stays as it was, and
 * nothing but the request's log line is printed (no stack trace). Fixed
 * again, the next reset loads it.
 */
import { copyFileSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningMock, startMock } from '../../src/app/server';
import { PAIR } from './support/qa-mock';

const EXAMPLE = join(__dirname, '..', '..', 'mocks', 'example-fixtures.yaml');

let dir: string;
let file: string;
let mock: RunningMock;
let log: string[];
let errors: jest.SpyInstance;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'publications-reset-'));
  file = join(dir, 'fixtures.yaml');
  copyFileSync(EXAMPLE, file);
  log = [];
  mock = await startMock({ port: 0, fixtures: file, log: (line) => log.push(line) });
  errors = jest.spyOn(console, 'error');
});
afterEach(async () => {
  errors.mockRestore();
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

async function stateNow(): Promise<unknown> {
  return ((await (await fetch(`${mock.url}/__mock/state`)).json()) as { state: unknown }).state;
}

const BREAKAGES: Array<[string, () => void, RegExp[]]> = [
  [
    'a YAML syntax error',
    () => writeFileSync(file, 'campaigns:\n  - name: "Summer\n'),
    [/fixtures\.yaml:\d+:\d+: \/ is not valid YAML/],
  ],
  [
    'two problems of its shape and one cross-reference, all named at once',
    () =>
      writeFileSync(
        file,
        'campaigns:\n  - name: Summer\n    type: COUPON\n    discount: { type: ' +
          'PERCENT, percent_off: 20 }\n    auto_updte: true\nvouchers:\n  - ' +
          'code: X1\n    campaign: Nope\n',
      ),
    [
      /fixtures\.yaml:3:11: \/campaigns\/0\/type must be one of/,
      /fixtures\.yaml:5:5: \/campaigns\/0\/auto_updte is not a known property/,
      /fixtures\.yaml:8:15: \/vouchers\/0\/campaign "Nope" names no campaign/,
    ],
  ],
  ['the file removed', () => unlinkSync(file), [/fixtures\.yaml: \/ cannot be read/]],
];

it.each(BREAKAGES)(
  '%s → 400 invalid_fixtures naming each problem; state, journal and log as they were, no stack trace',
  async (_name, breakIt, problems) => {
    const published = await fetch(`${mock.url}/v1/publications`, {
      method: 'POST',
      headers: { ...PAIR, 'Content-Type': 'application/json' },
      body: JSON.stringify({ customer: { source_id: 'alice' }, campaign: 'Newsletter Codes' }),
    });
    expect(published.status).toBe(200);
    const before = await stateNow();
    breakIt();

    const res = await fetch(`${mock.url}/__mock/reset`, { method: 'POST' });
    const body = (await res.json()) as { code: number; key: string; details: string };
    expect(res.status).toBe(400);
    expect(body).toMatchObject({ code: 400, key: 'invalid_fixtures' });
    expect(body.details).toContain(`${file} cannot be loaded, so the mock keeps its current state`);
    for (const problem of problems) expect(body.details).toMatch(problem);

    expect(await stateNow()).toEqual(before);
    const journal = (await (await fetch(`${mock.url}/__mock/requests`)).json()) as {
      requests: Array<{ path: string }>;
    };
    expect(journal.requests.map((r) => r.path)).toContain('/v1/publications');
    expect(errors).not.toHaveBeenCalled();
    expect(log.filter((line) => line.startsWith('POST /__mock/reset'))).toEqual([
      expect.stringMatching(/^POST \/__mock\/reset 400 [\d.]+ms invalid_fixtures$/),
    ]);

    copyFileSync(EXAMPLE, file);
    const fixed = await fetch(`${mock.url}/__mock/reset`, { method: 'POST' });
    expect(fixed.status).toBe(200);
    expect(await stateNow()).not.toEqual(before);
  },
);
