/**
 * The entry point as a user runs it (`node dist/src/cli.js`, what `npm start`
 * runs after building): options from flags or the environment, a clear
 * one-line error with exit code 2 for bad ones, one log line per request.
 * Needs `npm run build` first, which `npm test` does.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/free-port';

const cli = join(__dirname, '..', 'dist', 'src', 'cli.js');

function runToExit(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 20000,
  });
}

describe('bad options: one line on stderr, exit code 2', () => {
  it.each([
    ['--port abc', ['--port', 'abc'], {}, /port/],
    ['--port 70000', ['--port', '70000'], {}, /port/],
    ['PORT=-1 in the environment', [], { PORT: '-1' }, /port/],
    ['--seed 1.5', ['--seed', '1.5'], {}, /seed/],
    ['--now yesterday', ['--now', 'yesterday'], {}, /ISO 8601/],
    ['MOCK_STRICT=maybe', [], { MOCK_STRICT: 'maybe' }, /strict/],
    [
      '--fixtures naming a missing file',
      ['--fixtures', '/nonexistent/fixtures.yaml'],
      {},
      /\/nonexistent\/fixtures\.yaml/,
    ],
    ['an unknown flag', ['--colour', 'red'], {}, /colour/],
  ])('%s', (_name, args, env, pattern) => {
    const result = runToExit(args as string[], env);
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^voucherify-publications-mock: /);
    expect(lines[0]).toMatch(pattern);
  });
});

/** The README's option table: flag, environment variable, default. */
function readmeOptions(): Array<[string, string, string]> {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  return [...readme.matchAll(/^\| `(--[a-z-]+)` \| (?:`([A-Z_]+)`)? *\| ([^|]+?) \|/gm)].map((m) => [
    m[1]!,
    m[2] ?? '',
    m[3]!.trim(),
  ]);
}

describe("--help names the default of every option, as the README's table does", () => {
  // One entry per option: its first line starts with the flag, the next lines continue its description.
  const entries = new Map<string, string>();
  let current = '';
  for (const line of runToExit(['--help']).stdout.split('\n')) {
    const flag = /^ {2}(?:-\w, )?(--[a-z-]+)/.exec(line);
    if (flag) current = flag[1]!;
    if (current) entries.set(current, `${entries.get(current) ?? ''} ${line.trim()}`.replace(/"/g, ''));
  }
  const options = readmeOptions().filter(([, , fallback]) => fallback !== '');
  it('the README table lists the options', () => {
    expect(options.map(([name]) => name)).toEqual(
      expect.arrayContaining(['--port', '--seed', '--data', '--fixtures', '--now']),
    );
  });
  it.each(options)('%s (env %s): default %s', (name, env, fallback) => {
    const line = entries.get(name) ?? '';
    expect(line).toContain(`default: ${fallback}`);
    if (env) expect(line).toContain(`env: ${env}`);
  });
});

describe('a running mock', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  function start(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; lines: string[] }> {
    const proc = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const lines: string[] = [];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start: ${lines.join('\n')}`)), 15000);
      proc.stdout.on('data', (chunk: Buffer) => {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        if (lines.some((l) => l.includes('listening on'))) {
          clearTimeout(timer);
          resolve({ child: proc, lines });
        }
      });
      proc.stderr.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
      proc.once('exit', (code) => reject(new Error(`exited ${String(code)}: ${lines.join('\n')}`)));
    });
  }

  it(
    'takes PORT, MOCK_SEED and MOCK_NOW from the environment, logs one ' + 'line per request, and stops on SIGTERM',
    async () => {
      const port = await freePort();
      const { child: proc, lines } = await start([], {
        PORT: String(port),
        MOCK_SEED: '9',
        MOCK_NOW: '2022-09-30T16:30:32.924Z',
      });
      expect(lines[0]).toContain(`http://127.0.0.1:${port}`);
      expect(lines[0]).toContain('seed 9');
      const res = await fetch(`http://127.0.0.1:${port}/v1/publications`, { headers: { Authorization: 'Bearer t' } });
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      expect(lines.filter((l) => l.includes('GET /v1/publications 200'))).toHaveLength(1);
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
    },
  );

  it(
    '--fixtures on a --data file made from the generated world → refused: ' +
      'one line naming both, exit 2; the file still resumes as it was',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'publications-cli-'));
      try {
        const data = join(dir, 'state.db');
        const port = await freePort();
        const { child: proc } = await start(['--port', String(port), '--quiet', '--data', data]);
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGTERM');
        await exited;
        const refused = runToExit([
          '--port',
          String(port),
          '--data',
          data,
          '--fixtures',
          join(__dirname, '..', 'mocks', 'example-fixtures.yaml'),
        ]);
        expect(refused.status).toBe(2);
        const lines = refused.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
          /^voucherify-publications-mock: .*state\.db holds the generated world \(seed 1\), not the one .*example-fixtures\.yaml describes/,
        );
        const { lines: resumed } = await start(['--port', String(port), '--quiet', '--data', data]);
        expect(resumed[0]).toContain('resumed');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('a port already in use → one line and exit code 2', async () => {
    const port = await freePort();
    await start(['--port', String(port), '--quiet']);
    const second = runToExit(['--port', String(port)]);
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/EADDRINUSE|in use/);
  });
});
