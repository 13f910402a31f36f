/**
 * The command end to end, as CI runs it: a child process, its exit code
 * (0 passed, 1 violation, 2 could not run) and one-line reason, its JUnit and
 * JSON reports, and no credential anywhere in what it prints or writes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo, main } from './cli';
import { isRecord } from './exchange';
import type { ContractReport } from './report';
import { type DoubleOptions, type RunningDouble, startPublicationsDouble } from './test-support/publications-double';
import { freePort } from '../test/support/free-port';

const bin = join(__dirname, 'bin', 'contract.js');
const scratch = mkdtempSync(join(tmpdir(), 'contract-cli-'));
const APP_ID = 'APPID-must-not-leak-4e7b';
const TOKEN = 'TOKEN-must-not-leak-8c1d';
const credentialsEnv = { VOUCHERIFY_APP_ID: APP_ID, VOUCHERIFY_APP_TOKEN: TOKEN };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string> = credentialsEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function runMain(args: string[], env: Record<string, string | undefined> = credentialsEnv): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), color: false };
  const code = await main(args, env, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Echoes the request's credentials into its errors, in `details` and (a violation the report quotes) in `key`. */
const leakyErrors: DoubleOptions = {
  drift: (answer, request) => {
    const echoed =
      `app ${String(request.headers['x-app-id'])} token ` +
      `${String(request.headers['x-app-token'] ?? request.headers.authorization)}`;
    if (answer.status >= 400 && isRecord(answer.body)) {
      answer.body.details = echoed;
      if (answer.status === 400) answer.body.key = echoed;
    }
    return answer;
  },
};

const doubles: RunningDouble[] = [];
async function double(options: DoubleOptions = {}): Promise<RunningDouble> {
  const started = await startPublicationsDouble(options);
  doubles.push(started);
  return started;
}

afterAll(async () => {
  await Promise.all(doubles.map((d) => d.close()));
});

describe('publications-contract, as a child process', () => {
  it('a faithful target → exit 0, one line per check, JUnit with one testcase per check and operation', async () => {
    const target = await double();
    const junit = join(scratch, 'ok', 'junit.xml');
    const json = join(scratch, 'ok', 'report.json');
    const run = await runCli(['--target', target.baseUrl, '--junit', junit, '--json', json]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      results: Array<{ check: string; operationId: string }>;
      exitCode: number;
    };
    expect(report.exitCode).toBe(0);
    expect(run.stdout.split('\n').filter((line) => line.startsWith('PASS '))).toHaveLength(report.results.length);
    expect(run.stdout.trimEnd().split('\n').pop()).toMatch(/^exit 0: all \d+ checks passed/);
    const xml = readFileSync(junit, 'utf8');
    const names = [...xml.matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toHaveLength(report.results.length);
    expect(new Set(names).size).toBe(names.length);
    expect(xml).not.toContain('<failure');
  });

  it('a drifting target → exit 1; the failure names method, path, pointer, Received / Documented', async () => {
    const target = await double({
      drift: (answer) => {
        if (isRecord(answer.body) && isRecord(answer.body.voucher)) answer.body.voucher.extra = 1;
        return answer;
      },
    });
    const junit = join(scratch, 'drift', 'junit.xml');
    const run = await runCli(['--target', target.baseUrl, '--checks', 'schema', '--junit', junit]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}response_schema_conformance +POST \/v1\/publications/m);
    expect(run.stdout).toMatch(
      /^ +POST \/v1\/publications → 200 .*\n +at \/voucher\/extra: Received an undocumented property "extra" \/ Documented only id, code/m,
    );
    expect(run.stdout.trimEnd().split('\n').pop()).toMatch(
      /^exit 1: contract violation: 2 of 20 checks failed; first: response_schema_conformance: GET \/v1\/publications\/create.* at \/voucher\/extra/,
    );
    expect(readFileSync(junit, 'utf8')).toMatch(/<failure message="[^"]*at \/voucher\/extra: Received/);
  });

  it('an unreachable target → exit 2 with a one-line reason', async () => {
    const port = await freePort();
    const run = await runCli(['--target', `http://127.0.0.1:${port}`, '--retries', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^publications-contract: could not run: target unreachable: GET http:\/\/127\.0\.0\.1:\d+\/v1\/publications\?limit=1: .*ECONNREFUSED.*\n$/,
    );
  });

  it.each([
    [
      '--customer-id',
      ['--customer-id', 'cust_TypoInTheFlag'],
      /^publications-contract: could not run: --customer-id cust_TypoInTheFlag: the target has no such customer \(404 not_found, GET \/v1\/customers\/cust_TypoInTheFlag\)\n$/,
    ],
    [
      '--campaign',
      ['--campaign', 'Campaign Of Another Project'],
      /^publications-contract: could not run: --campaign Campaign Of Another Project: the target has no such campaign \(404 not_found, GET \/v1\/publications\/create\)\n$/,
    ],
  ])('a %s the target does not have → exit 2, one line on stderr naming it, no FAIL', async (_name, args, line) => {
    const target = await double();
    const run = await runCli(['--target', target.baseUrl, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(line);
    expect(run.stdout).not.toMatch(/^(FAIL|PASS) /m);
    expect(run.stdout.trimEnd().split('\n').pop()).toBe(
      `exit 2: ${run.stderr.replace(/^publications-contract: /, '').trimEnd()}`,
    );
  });

  it('a setting from --config that the target does not have → the line names the file', async () => {
    const target = await double();
    const config = writeScratch('wrong-campaign.yaml', 'campaign: Campaign Of Another Project\n');
    const run = await runCli(['--target', target.baseUrl, '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `publications-contract: could not run: campaign Campaign Of Another ` +
        `Project (from --config ${config}): the target has no such campaign ` +
        `(404 not_found, GET /v1/publications/create)\n`,
    );
  });

  it.each([
    ['an unknown flag', ['--target', 'http://127.0.0.1:1', '--bogus'], /unknown option '--bogus'/],
    [
      'a bad --checks',
      ['--target', 'http://127.0.0.1:1', '--checks', 'some'],
      /'--checks <mode>' argument 'some' is invalid/,
    ],
  ])('%s → exit 2 with a one-line reason', async (_name, args, reason) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stderr).toMatch(reason);
  });
});

describe('publications-contract, in-process', () => {
  it.each([
    ['no --target and no --har', [], credentialsEnv, /--target <url> is required/],
    ['no credentials', ['--target', 'http://127.0.0.1:1'], {}, /no credentials: set VOUCHERIFY_APP_ID/],
    [
      'half a key pair',
      ['--target', 'http://127.0.0.1:1'],
      { VOUCHERIFY_APP_ID: 'x' },
      /VOUCHERIFY_APP_TOKEN is not set/,
    ],
    [
      'the key pair and a bearer',
      ['--target', 'http://127.0.0.1:1'],
      { ...credentialsEnv, VOUCHERIFY_BEARER: 'b' },
      /not both/,
    ],
    [
      '--target and --har',
      ['--target', 'http://127.0.0.1:1', '--har', 'x.har'],
      credentialsEnv,
      /either --target or --har/,
    ],
    [
      'a --max-publications that is not a number',
      ['--target', 'http://127.0.0.1:1', '--max-publications', 'lots'],
      credentialsEnv,
      /--max-publications/,
    ],
    [
      'a config file with an unknown key',
      ['--target', 'http://127.0.0.1:1', '--config', writeScratch('bad.json', '{"campaing": "x"}')],
      credentialsEnv,
      /unknown key "campaing"/,
    ],
    [
      'a config file that does not exist',
      ['--target', 'http://127.0.0.1:1', '--config', join(scratch, 'none.yaml')],
      credentialsEnv,
      /cannot read --config/,
    ],
    [
      '--fuzz 0',
      ['--target', 'http://127.0.0.1:1', '--fuzz', '0'],
      credentialsEnv,
      /--fuzz <n>.*whole number of at least 1/,
    ],
    [
      '--seed without --fuzz',
      ['--target', 'http://127.0.0.1:1', '--seed', '4'],
      credentialsEnv,
      /--seed is for --fuzz <n>/,
    ],
    [
      '--fuzz-time without --fuzz',
      ['--target', 'http://127.0.0.1:1', '--fuzz-time', '5'],
      credentialsEnv,
      /--fuzz-time is for --fuzz <n>/,
    ],
    [
      'a --fuzz-time that is no number of seconds',
      ['--target', 'http://127.0.0.1:1', '--fuzz', '5', '--fuzz-time', 'soon'],
      credentialsEnv,
      /--fuzz-time <s>.*positive number of seconds/,
    ],
    [
      'a --seed above 32 bits',
      ['--target', 'http://127.0.0.1:1', '--fuzz', '5', '--seed', '4294967296'],
      credentialsEnv,
      /seed must be a whole number from 0 to 4294967295/,
    ],
    ['--fuzz with --har', ['--har', 'x.har', '--fuzz', '5'], credentialsEnv, /--fuzz sends requests/],
  ])('%s → exit 2', async (_name, args, env, reason) => {
    const run = await runMain(args, env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
  });

  it('--help → exit 0', async () => {
    const run = await runMain(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--max-publications <n>/);
  });

  it('target data: flags win over the config file, which wins over the defaults', async () => {
    const data = { campaign: 'Campaign From Flag', voucher: 'FILEVOUCHER', customerId: 'cust_FromTheConfigFile' };
    const target = await double({ data });
    const config = writeScratch(
      'target.yaml',
      'campaign: Campaign From File\nvoucher: FILEVOUCHER\ncustomerId: cust_FromTheConfigFile\n',
    );
    const run = await runMain(['--target', target.baseUrl, '--config', config, '--campaign', 'Campaign From Flag']);
    expect(run.stdout).toMatch(/exit 0: all/);
    expect(run.code).toBe(0);
    expect(target.received.some((r) => r.query.get('voucher') === 'FILEVOUCHER')).toBe(true);
  });

  it('--har <file> → the capture is checked offline, exit 1 for its drifting exchange', async () => {
    const run = await runMain(['--har', join(__dirname, 'fixtures', 'publications.har')], {});
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/at \/voucher\/barcode_url: Received an undocumented property/);
  });
});

describe('publications-contract --fuzz, in-process', () => {
  it(
    'a generated failure: its own family in the console, JUnit and JSON, ' +
      'with the minimal case, curl and seed; no credential anywhere',
    async () => {
      const target = await double({ defect: 'server_error_for_one_enum_value' });
      const junit = join(scratch, 'fuzz', 'junit.xml');
      const json = join(scratch, 'fuzz', 'report.json');
      const run = await runMain([
        '--target',
        target.baseUrl,
        '--checks',
        'schema',
        '--fuzz',
        '40',
        '--seed',
        '7',
        '--junit',
        junit,
        '--json',
        json,
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^fuzz: 40 generated requests per operation, seed 7$/m);
      expect(run.stdout).toMatch(
        /^generated requests \(--fuzz 40, seed 7\):\nPASS {2}not_a_server_error +GET \/v1\/publications\/create/m,
      );
      expect(run.stdout).toMatch(/^FAIL {2}not_a_server_error +GET \/v1\/publications +1 violation$/m);
      expect(run.stdout).toMatch(
        /^ +minimal case \(\d+ generated cases? failed, shrunk in \d+ tr(y|ies); replay with --fuzz 40 --seed 7\):\n +curl -sS -i 'http:\/\/127\.0\.0\.1:\d+\/v1\/publications\?voucher_type=LUCKY_DRAW' -H 'Accept: application\/json' -H "X-App-Id: \$VOUCHERIFY_APP_ID" -H "X-App-Token: \$VOUCHERIFY_APP_TOKEN" +# → 500$/m,
      );
      expect(run.stdout).toMatch(
        /^generated: 200 valid and 0 invalid requests, 0 sequences; \d+ requests in [\d.]+ s, \d+ more to shrink failures$/m,
      );

      const xml = readFileSync(junit, 'utf8');
      const generatedSuite =
        /<testsuite name="Publications contract: generated"[^>]*>([\s\S]*?)<\/testsuite>/.exec(xml)?.[1] ?? '';
      const report = JSON.parse(readFileSync(json, 'utf8')) as ContractReport;
      const generatedResults = report.results.filter((r) => r.family === 'generated');
      expect([...generatedSuite.matchAll(/<testcase /g)]).toHaveLength(generatedResults.length);
      expect(generatedSuite).toMatch(
        /<failure message="GET \/v1\/publications\?voucher_type=LUCKY_DRAW at status: Received 500[^"]*" type="ContractViolation"><!\[CDATA\[[\s\S]*curl -sS -i 'http:\/\/127\.0\.0\.1:\d+\/v1\/publications\?voucher_type=LUCKY_DRAW'/,
      );
      expect(xml).toMatch(/<property name="seed" value="7"\/>/);
      expect(report.generated).toMatchObject({ seed: 7, casesPerOperation: 40, positive: 200, negative: 0 });
      expect(report.settings.fuzz).toEqual({ cases: 40, seed: 7, timeLimitS: null });
      expect(generatedResults.filter((r) => r.status === 'failed').map((r) => `${r.check} ${r.operationId}`)).toEqual([
        'not_a_server_error listPublications',
        'status_code_conformance listPublications',
      ]);
      const failure = generatedResults.find((r) => r.check === 'not_a_server_error' && r.status === 'failed')
        ?.failures[0];
      expect(failure?.reproduction).toMatchObject({
        seed: 7,
        kind: 'positive',
        replay: '--fuzz 40 --seed 7',
        requests: [{ method: 'GET', path: '/v1/publications?voucher_type=LUCKY_DRAW', status: 500 }],
      });
      for (const text of [run.stdout, run.stderr, xml, readFileSync(json, 'utf8')]) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(APP_ID);
      }
    },
  );
});

describe('credentials never appear in any report', () => {
  it.each([
    ['a passing run', {}, 0],
    ['a failing run against a target that echoes the credentials in its errors', leakyErrors, 1],
  ])('%s: console, JUnit and JSON are clean', async (_name, options, exitCode) => {
    const target = await double(options);
    const junit = join(scratch, `leak-${doubles.length}.xml`);
    const json = join(scratch, `leak-${doubles.length}.json`);
    const run = await runMain(['--target', target.baseUrl, '--junit', junit, '--json', json]);
    expect(run.code).toBe(exitCode);
    expect(target.received.some((r) => r.headers['x-app-token'] === TOKEN)).toBe(true);
    for (const text of [run.stdout, run.stderr, readFileSync(junit, 'utf8'), readFileSync(json, 'utf8')]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(APP_ID);
    }
  });

  it('a bearer token is masked the same way', async () => {
    const target = await double(leakyErrors);
    const json = join(scratch, 'bearer.json');
    const run = await runMain(['--target', target.baseUrl, '--json', json], {
      VOUCHERIFY_BEARER: 'BEARER-must-not-leak-2a9f',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Received "app undefined token Bearer ***"');
    expect(readFileSync(json, 'utf8')).toContain('Bearer ***');
    expect(readFileSync(json, 'utf8') + run.stdout).not.toContain('BEARER-must-not-leak-2a9f');
  });
});

function writeScratch(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}
