/**
 * Every documented command works as pasted. The shell blocks of README.md,
 * mocks/README.md and contract-tests/README.md are read as they are when the
 * test runs (others edit them too), split into commands (quotes, line
 * continuations and comments as a shell reads them), and every command that
 * talks to the mock (127.0.0.1:4010 or localhost:4010) is run with bash, in
 * README order, against a mock started with the README's own `npm start`
 * (the port substituted). Each must exit 0 and print what it promises: a curl
 * a JSON answer (an error only where the command forces one with Prefer), a
 * file it writes, a contract run "all … checks passed". Commands aimed
 * elsewhere (staging, a HAR file, `npm ci`) are listed, not run.
 *
 * The README's GitHub Actions recipe is checked too: its steps start the mock
 * in the background, wait for it and then run the tests; the start and wait
 * steps are run as written.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freePort } from './support/free-port';

const ROOT = join(__dirname, '..');
const READMES = ['README.md', 'mocks/README.md', 'contract-tests/README.md'];
const MOCK_ADDRESS = /\b(?:127\.0\.0\.1|localhost):4010\b/;

jest.setTimeout(120_000);

interface Block {
  file: string;
  /** Line of the block's first content line in its file. */
  line: number;
  lang: string;
  body: string;
}

interface Command {
  file: string;
  line: number;
  text: string;
}

function readBlocks(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) break;
    blocks.push({ file, line: i + 2, lang: open[1]!.toLowerCase(), body: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/**
 * A shell block as the commands bash would run: quotes may span lines, `\` continues one, `#` after a blank starts a
 * comment.
 */
export function splitCommands(body: string): Array<{ offset: number; text: string }> {
  const commands: Array<{ offset: number; text: string }> = [];
  let current = '';
  let quote: string | undefined;
  let line = 0;
  let start = 0;
  const finish = (): void => {
    if (current.trim()) commands.push({ offset: start, text: current.trim() });
    current = '';
  };
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '\n') line++;
    if (quote) {
      current += char;
      if (char === '\\' && quote === '"' && i + 1 < body.length) current += body[++i];
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '\\' && body[i + 1] === '\n') {
      current += ' ';
      i++;
      line++;
      continue;
    }
    if (char === '#' && (current === '' || /\s$/.test(current))) {
      while (i + 1 < body.length && body[i + 1] !== '\n') i++;
      continue;
    }
    if (char === '\n') {
      finish();
      continue;
    }
    if (current === '' && /\s/.test(char)) continue;
    if (current === '') start = line;
    if (char === "'" || char === '"') quote = char;
    current += char;
  }
  finish();
  return commands;
}

function readCommands(): Command[] {
  return READMES.flatMap((file) =>
    readBlocks(file)
      .filter((block) => ['sh', 'bash', 'shell'].includes(block.lang))
      .flatMap((block) => splitCommands(block.body).map((c) => ({ file, line: block.line + c.offset, text: c.text }))),
  );
}

const ALL = readCommands();
const TO_MOCK = ALL.filter((c) => MOCK_ADDRESS.test(c.text));
const label = (c: Command): string =>
  `${c.file}:${c.line}: ${c.text.length > 110 ? `${c.text.slice(0, 107)}…` : c.text}`;

describe('reading the READMEs', () => {
  it('splits commands as a shell does: continuations join, quotes span lines, comments go', () => {
    expect(
      splitCommands(
        "curl -s \\\n  'http://x/#a' # a note\necho 'a\nb' && echo c # more\n\n# only a comment\nnpm start",
      ),
    ).toEqual([
      { offset: 0, text: "curl -s    'http://x/#a'" },
      { offset: 2, text: "echo 'a\nb' && echo c" },
      { offset: 6, text: 'npm start' },
    ]);
  });

  it('finds the commands aimed at the mock (and lists the others, which are not run)', () => {
    // The READMEs grow; these are the ones this test was written with, so the extraction cannot quietly find none.
    expect(TO_MOCK.filter((c) => c.file === 'README.md').length).toBeGreaterThanOrEqual(8);
    expect(TO_MOCK.filter((c) => c.file === 'contract-tests/README.md').length).toBeGreaterThanOrEqual(1);
    const notRun = ALL.filter((c) => !TO_MOCK.includes(c)).map(label);
    expect(notRun).toEqual(expect.arrayContaining([expect.stringMatching(/^README\.md:\d+: npm ci && npm start$/)]));
  });
});

/**
 * A running `npm start`, the README's command, on a port of the test's choosing; stopped as a process group by its id.
 */
let mock: { child: ChildProcess; port: number; log: string[] };
let work: string;

async function startWithNpm(): Promise<typeof mock> {
  const port = await freePort();
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const log: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start: no "listening on" within 60 s:\n${log.join('')}`)),
      60_000,
    );
    const onData = (chunk: Buffer): void => {
      log.push(chunk.toString());
      if (log.join('').includes(`listening on http://127.0.0.1:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited ${String(code)}:\n${log.join('')}`)));
  });
  return { child, port, log };
}

function stopGroup(child: ChildProcess | undefined): void {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

beforeAll(async () => {
  // Inside the repository (so `npm run …` finds package.json), in tmp/, which git ignores.
  work = join(ROOT, 'tmp', `documented-commands-${process.pid}`);
  mkdirSync(work, { recursive: true });
  mock = await startWithNpm();
});
afterAll(() => {
  stopGroup(mock?.child);
  if (work) rmSync(work, { recursive: true, force: true });
});

const withPort = (text: string, port: number): string =>
  text.replace(/\b(127\.0\.0\.1|localhost):4010\b/g, `127.0.0.1:${port}`).replace(/--port 4010\b/g, `--port ${port}`);

/** The files a command writes (`-o file`, `> file`), relative to where it runs. */
function writtenFiles(text: string): string[] {
  return [...text.matchAll(/(?:\s-o\s+|\s--output\s+|[^2&]>\s*)([^\s'"|&;]+)/g)]
    .map((m) => m[1]!)
    .filter((f) => f !== '/dev/null');
}

function checkOutput(command: Command, stdout: string): void {
  const text = command.text;
  if (/\bnpm run contract\b|\bpublications-contract\b/.test(text)) {
    expect(stdout).toMatch(/exit 0: all \d+ checks passed/);
    return;
  }
  const files = writtenFiles(text);
  for (const file of files) {
    const path = join(work, file);
    expect([file, existsSync(path) && statSync(path).size > 0]).toEqual([file, true]);
    if (file.endsWith('.json')) expect(() => JSON.parse(readFileSync(path, 'utf8'))).not.toThrow();
  }
  if (!/^curl\b/.test(text) || files.length > 0) return;
  expect(stdout.trim()).not.toBe('');
  const body = JSON.parse(stdout) as { code?: unknown; key?: unknown };
  const isError = typeof body.code === 'number' && body.code >= 400 && typeof body.key === 'string';
  if (isError) {
    // An error is documented only where the command forces it, and then it is the one forced.
    const forced = /Prefer: [^']*?(?:code=(\d{3})|example=([\w-]+))/.exec(text);
    expect([`answered ${String(body.code)} ${String(body.key)}`, forced !== null]).toEqual([
      `answered ${String(body.code)} ${String(body.key)}`,
      true,
    ]);
    if (forced?.[1]) expect(body.code).toBe(Number(forced[1]));
    if (forced?.[2]) expect(body.key).toBe(forced[2]);
  }
}

describe('every command aimed at the mock, run as pasted (port substituted) against `npm start`', () => {
  it.each(TO_MOCK.map((c) => [label(c), c] as const))('%s', (_label, command) => {
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', withPort(command.text, mock.port)], {
      cwd: work,
      encoding: 'utf8',
      timeout: 90_000,
    });
    if (result.status !== 0)
      throw new Error(
        `exit ${String(result.status ?? result.signal)}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
      );
    checkOutput(command, result.stdout);
  });
});

describe("the README's GitHub Actions recipe for a front-end's tests", () => {
  interface Step {
    name?: string;
    run?: string;
    uses?: string;
    env?: Record<string, string>;
  }
  const recipes = readBlocks('README.md')
    .filter((b) => b.lang === 'yaml' && b.body.includes('voucherify-publications-mock') && b.body.includes('jobs:'))
    .map((b) => parse(b.body) as { jobs: Record<string, { steps: Step[] }> });

  it('starts the mock in the background, then waits until it answers, then runs the tests against it', () => {
    expect(recipes).toHaveLength(1);
    const steps = Object.values(recipes[0]!.jobs)[0]!.steps;
    const start = steps.findIndex((s) => /voucherify-publications-mock\b.*&\s*$/.test(s.run ?? ''));
    const wait = steps.findIndex((s) => MOCK_ADDRESS.test(s.run ?? '') && /--retry-connrefused/.test(s.run ?? ''));
    const tests = steps.findIndex(
      (s) => /\bnpm (?:run )?test\b/.test(s.run ?? '') && Object.values(s.env ?? {}).some((v) => MOCK_ADDRESS.test(v)),
    );
    expect([start >= 0, wait > start, tests > wait]).toEqual([true, true, true]);
  });

  it('its start and wait steps, run as written (port substituted), bring up a mock that answers', async () => {
    const steps = Object.values(recipes[0]!.jobs)[0]!.steps;
    const start = steps.find((s) => /voucherify-publications-mock\b.*&\s*$/.test(s.run ?? ''))!.run!.trim();
    const wait = steps
      .find((s) => MOCK_ADDRESS.test(s.run ?? '') && /--retry-connrefused/.test(s.run ?? ''))!
      .run!.trim();
    const port = await freePort();
    // One shell for both steps, as the job's steps share the runner; the wait runs while the mock is still starting.
    const script = `set -e\n${withPort(start, port)}\n${withPort(wait, port)}\necho MOCK-ANSWERED\nwait`;
    const child = spawn('bash', ['-c', script], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no answer within 60 s: ${text}`)), 60_000);
        const onData = (chunk: Buffer): void => {
          text += chunk.toString();
          if (text.includes('MOCK-ANSWERED')) {
            clearTimeout(timer);
            resolve(text);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) =>
          reject(new Error(`the steps exited ${String(code)} before the mock answered: ${text}`)),
        );
      });
      expect(output).toContain('MOCK-ANSWERED');
      const res = await fetch(`http://127.0.0.1:${port}/v1/publications?limit=1`, {
        headers: { 'X-App-Id': 'ci', 'X-App-Token': 'ci' },
      });
      expect(res.status).toBe(200);
      expect(readFileSync(join(work, 'mock.log'), 'utf8')).toContain(`listening on http://127.0.0.1:${port}`);
    } finally {
      stopGroup(child);
    }
  });
});
