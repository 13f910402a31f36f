/**
 * Hostile data files, through the built CLI as a user runs it: a fixture file
 * whose fields would make the mock do unbounded work is refused at start
 * (exit 2, naming the field), where it used to start and then hang on the
 * first generated code (100 % CPU, no other request answered, SIGTERM
 * ignored). Each process is bounded in time and killed by its PID.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, killStartedClis, startCli } from '../support/cli-process';
import { freePort } from '../support/free-port';
import { PAIR, testMock } from '../support/test-mock';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mock-hostile-data-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => killStartedClis());

const campaign = {
  name: 'Auto',
  type: 'DISCOUNT_VOUCHER',
  discount: { type: 'AMOUNT', amount_off: 100 },
  auto_update: true,
};
const distinct = (n: number): string => Array.from({ length: n }, (_, i) => String.fromCharCode(0x100 + i)).join('');

describe('a fixture file with fields that drive unbounded work is refused at start', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a charset of 300 characters (the next generated code looped forever)',
      { charset: distinct(300) },
      /\/campaigns\/0\/code_config\/charset must NOT have more than 256 characters/,
    ],
    ['a code length of ten million', { length: 10_000_000 }, /\/campaigns\/0\/code_config\/length must be <= 64/],
  ])('%s: exit 2, naming the field', async (_name, codeConfig, message) => {
    const file = join(dir, `fixtures-${Object.keys(codeConfig)[0]}.json`);
    writeFileSync(file, JSON.stringify({ campaigns: [{ ...campaign, code_config: codeConfig }] }));
    const started = startCli(await freePort(), ['--fixtures', file]);
    // It must not listen: a start is a failure of this test (the create that would follow hangs).
    const outcome = await started.then(
      (mock) => ({ listening: true, output: mock.output(), child: mock.child }),
      (error: Error) => ({ listening: false, output: error.message, child: undefined }),
    );
    expect(outcome.listening).toBe(false);
    expect(outcome.output).toMatch(/exited \(2\)/);
    expect(outcome.output).toMatch(message);
  });

  it(
    'the same campaign within bounds starts, and its pool running dry ' + 'makes new codes from 256 characters',
    async () => {
      const file = join(dir, 'fixtures-ok.json');
      writeFileSync(
        file,
        JSON.stringify({ campaigns: [{ ...campaign, code_config: { charset: distinct(256), length: 12 } }] }),
      );
      const mock = await startCli(await freePort(), ['--fixtures', file]);
      const res = await fetch(`${mock.url}/v1/publications`, {
        method: 'POST',
        headers: { 'X-App-Id': 'a', 'X-App-Token': 'b', 'Content-Type': 'application/json' },
        body: JSON.stringify({ customer: { source_id: 'c1' }, campaign: { name: 'Auto' } }),
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { voucher: { code: string } }).voucher.code).toHaveLength(12);
      mock.child.kill('SIGTERM');
      expect(await exited(mock.child)).toBe(0);
    },
  );
});

describe('code generation is bounded', () => {
  it(
    'an auto-update campaign whose code space is used up: the next create ' +
      'is no_voucher_suitable_for_publication, after a bounded number of ' +
      'draws',
    async () => {
      const file = join(dir, 'fixtures-dry.json');
      // One-character codes from "AB": both exist, so no new code can be made.
      writeFileSync(
        file,
        JSON.stringify({
          campaigns: [{ ...campaign, codes: ['A', 'B'], code_config: { pattern: '#', charset: 'AB' } }],
        }),
      );
      const mock = testMock({ fixtures: file });
      try {
        const create = (sourceId: string) =>
          mock.api
            .post('/v1/publications')
            .set(PAIR)
            .send({ customer: { source_id: sourceId }, campaign: { name: 'Auto' } });
        expect((await create('c1')).status).toBe(200);
        expect((await create('c2')).status).toBe(200);
        const dry = await create('c3');
        expect(dry.status).toBe(400);
        expect(dry.body.key).toBe('no_voucher_suitable_for_publication');
        // It is recorded as a failure, and the mock goes on.
        const listed = await mock.api.get('/v1/publications?result=FAILURE').set(PAIR);
        expect(listed.body.publications.map((p: { failure_code: string }) => p.failure_code)).toEqual([
          'no_voucher_suitable_for_publication',
        ]);
      } finally {
        mock.close();
      }
    },
  );
});
