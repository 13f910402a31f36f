/**
 * The built CLI as a user runs it (`node dist/src/cli.js`; `npm test` builds
 * first): with MOCK_DATA / --data, every publication that was answered
 * survives a hard kill (SIGKILL mid-burst) and a restart on the same file;
 * MOCK_ADMIN_TOKEN / --admin-token protects state-changing /__mock/ requests.
 * Servers listen on 127.0.0.1 only and are always stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { exited, killStartedClis, startCli } from '../support/cli-process';
import { freePort } from '../support/free-port';
import { PAIR } from './support/qa-mock';

jest.setTimeout(60_000);

const dirs: string[] = [];
afterEach(() => killStartedClis());
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

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
    const { child } = await startCli(port, [], { env: { MOCK_DATA: data } });

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
            body: JSON.stringify({
              customer: { source_id: `burst-${w}-${i}` },
              campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
            }),
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

    const restarted = await startCli(port, [], { env: { MOCK_DATA: data } });
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
    const { child, line } = await startCli(port, args, { env });
    expect(line).toContain('admin token required');
    expect(line).not.toContain('env-token');
    const refused = await fetch(`http://127.0.0.1:${port}/__mock/reset`, { method: 'POST' });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { key: string }).key).toBe('admin_token_required');
    const done = await fetch(`http://127.0.0.1:${port}/__mock/reset`, {
      method: 'POST',
      headers: { 'X-Mock-Admin-Token': 'env-token' },
    });
    expect(done.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });
});
