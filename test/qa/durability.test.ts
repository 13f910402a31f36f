/**
 * The built CLI as a user runs it (`node dist/src/cli.js`; `npm test` builds
 * first): with MOCK_DATA / --data, every publication that was answered
 * survives a hard kill (SIGKILL mid-burst) and a restart on the same file;
 * MOCK_ADMIN_TOKEN / --admin-token protects state-changing /__mock/ requests.
 * Servers listen on 127.0.0.1 only and are always stopped.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WELL_KNOWN } from '../../mocks/generate-fixtures';
import { freePort } from '../support/free-port';
import { PAIR } from './support/qa-mock';

const cli = join(__dirname, '..', '..', 'dist', 'src', 'cli.js');

jest.setTimeout(60_000);

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts the CLI and resolves with its first line once it listens. */
function startCli(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [cli, '--host', '127.0.0.1', '--quiet', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mock did not start: ${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.includes('listening on'));
      if (line) {
        clearTimeout(timer);
        resolve({ child, line });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the mock exited (${String(code ?? signal)}) before listening: ${output}`));
    });
  });
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

async function listAllPublicationIds(url: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let page = 1; ; page++) {
    const res = await fetch(`${url}/v1/publications?limit=100&page=${page}`, { headers: PAIR });
    const body = (await res.json()) as { publications: Array<{ id: string }>; total: number };
    for (const p of body.publications) ids.add(p.id);
    if (body.publications.length < 100) return ids;
  }
}

describe('MOCK_DATA survives kill -9', () => {
  it('every publication answered with 200 before SIGKILL is listed after a restart on the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-kill9-'));
    dirs.push(dir);
    const data = join(dir, 'state.db');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const { child } = await startCli(['--port', String(port)], { MOCK_DATA: data });

    const answered: string[] = [];
    let sent = 0;
    let killed = false;
    const KILL_AFTER = 40;
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; ; i++) {
        sent++;
        try {
          const res = await fetch(`${url}/v1/publications`, {
            method: 'POST',
            headers: { ...PAIR, 'Content-Type': 'application/json' },
            body: JSON.stringify({ customer: { source_id: `burst-${w}-${i}` }, campaign: { name: WELL_KNOWN.autoUpdateCampaignName } }),
          });
          const body = (await res.json()) as { id?: string };
          if (res.status === 200 && body.id) answered.push(body.id);
        } catch {
          return; // The server is gone.
        }
        if (!killed && answered.length >= KILL_AFTER) {
          killed = true;
          // Mid-burst: the other workers' requests are in flight right now.
          process.kill(child.pid!, 'SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    expect(await exited(child)).toBe('SIGKILL');
    expect(answered.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(sent).toBeGreaterThan(answered.length);

    const restarted = await startCli(['--port', String(port)], { MOCK_DATA: data });
    expect(restarted.line).toContain('resumed');
    const listed = await listAllPublicationIds(url);
    expect(answered.filter((id) => !listed.has(id))).toEqual([]);
    restarted.child.kill('SIGTERM');
    expect(await exited(restarted.child)).toBe(0);
  });
});

describe('MOCK_ADMIN_TOKEN / --admin-token', () => {
  it.each<[string, string[], Record<string, string>]>([
    ['MOCK_ADMIN_TOKEN in the environment', [], { MOCK_ADMIN_TOKEN: 'env-token' }],
    ['the --admin-token flag', ['--admin-token', 'env-token'], {}],
  ])('%s: reset needs X-Mock-Admin-Token; the start line says so without showing it', async (_name, args, env) => {
    const port = await freePort();
    const { child, line } = await startCli(['--port', String(port), ...args], env);
    expect(line).toContain('admin token required');
    expect(line).not.toContain('env-token');
    const refused = await fetch(`http://127.0.0.1:${port}/__mock/reset`, { method: 'POST' });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { key: string }).key).toBe('admin_token_required');
    const done = await fetch(`http://127.0.0.1:${port}/__mock/reset`, { method: 'POST', headers: { 'X-Mock-Admin-Token': 'env-token' } });
    expect(done.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });
});
