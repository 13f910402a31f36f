/**
 * `--data` / `MOCK_DATA` with a PostgreSQL URL, as a user starts the CLI
 * (`node dist/src/cli.js`, built by `npm test`): the database is reached and
 * migrated at start; an unreachable one, or one refusing the credentials, is
 * one line on stderr naming the URL without its password, and exit code 2;
 * a reachable one is served from.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS } from '../src/store/postgres/migrations';
import { freePort } from './support/free-port';
import { describeWithPostgres } from './support/postgres-server';
import { exited, killStartedClis, startCli } from './support/cli-process';
import { PAIR } from './support/test-mock';

afterAll(() => killStartedClis());

const cli = join(__dirname, '..', 'dist', 'src', 'cli.js');
const SECRET = 's3cret-never-shown';

/** Runs the CLI to its exit (async: the test's own PostgreSQL may be this process's). */
function runToExit(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '--host', '127.0.0.1', '--quiet', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the mock did not exit within 25 s: ${stdout}${stderr}`));
    }, 25_000);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function expectOneLineExit2(result: { status: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(result.status).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^voucherify-publications-mock: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stdout + result.stderr).not.toContain(SECRET);
}

describe('an unreachable PostgreSQL at start: one line naming the URL without its password, exit 2', () => {
  it.each([
    ['--data postgres://… (nothing listens on the port)', 'flag', 'postgres'],
    ['MOCK_DATA=postgresql://… (nothing listens on the port)', 'env', 'postgresql'],
  ])('%s', async (_name, how, scheme) => {
    const port = await freePort();
    const url = `${scheme}://mock:${SECRET}@127.0.0.1:${port}/mock`;
    const appPort = String(await freePort());
    const result =
      how === 'flag'
        ? await runToExit(['--port', appPort, '--data', url])
        : await runToExit(['--port', appPort], { MOCK_DATA: url });
    expectOneLineExit2(
      result,
      new RegExp(`cannot reach PostgreSQL at ${scheme}://mock:\\*\\*\\*@127\\.0\\.0\\.1:${port}/mock: .*ECONNREFUSED`),
    );
  });
});

describeWithPostgres('a reachable PostgreSQL at start', (database) => {
  it('wrong credentials: one line naming the URL without the password and what the server said, exit 2', async () => {
    const url = new URL(database().url);
    url.password = SECRET;
    const result = await runToExit(['--port', String(await freePort()), '--data', url.toString()]);
    expectOneLineExit2(
      result,
      /cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/mock_test_\w+: password authentication failed/,
    );
  });

  it(
    'the schema is migrated at start and the mock serves from PostgreSQL; a second start on it resumes the world; ' +
      'one with another --seed is refused in one line, exit 2',
    async () => {
      const port = await freePort();
      const first = await startCli(port, ['--data', database().url]);
      try {
        expect(first.line).toMatch(/listening on/);
        const res = await fetch(`${first.url}/v1/publications`, {
          headers: PAIR,
        });
        expect(res.status).toBe(200);
      } finally {
        first.child.kill('SIGTERM');
        await exited(first.child);
      }
      const client = new Client({ connectionString: database().url });
      await client.connect();
      try {
        const versions = await client.query<{ version: number }>('SELECT version FROM schema_version');
        expect(versions.rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
      } finally {
        await client.end();
      }
      const other = await runToExit(['--port', String(await freePort()), '--data', database().url, '--seed', '9']);
      expectOneLineExit2(other, /was created with seed 1; start with --seed 1/);
    },
  );
});
