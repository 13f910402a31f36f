/**
 * SIGTERM stops the mock whatever its clients are doing: the built CLI on a
 * data file, with an event stream that reads nothing, a request waiting out a
 * 60 s `Prefer: delay`, an upload that sends its first bytes and stalls, and
 * an idle keep-alive connection. It closes them, closes the store and exits
 * 0 (a deadline exits it all the same if closing ever hangs); a restart on
 * the file has every publication answered before. (kill -9 mid-burst:
 * test/qa/durability.test.ts.) Waits are bounded; processes are killed by PID.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { exited, killStartedClis, startCli } from '../support/cli-process';
import { freePort } from '../support/free-port';
import { PAIR } from '../support/test-mock';

jest.setTimeout(60_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mock-signals-'));
});
afterEach(() => {
  killStartedClis();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw connection that sends `text` and then reads nothing. */
function stalledClient(port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(text);
      socket.pause();
      resolve();
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

it(
  'SIGTERM with a paused event stream, a 60 s delayed request, a stalled ' +
    'upload and an idle connection: exits 0, and a restart has every ' +
    'publication',
  async () => {
    const port = await freePort();
    const data = join(dir, 'state.db');
    const mock = await startCli(port, ['--data', data]);
    const published: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${mock.url}/v1/publications`, {
        method: 'POST',
        headers: { ...PAIR, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          customer: { source_id: `before-stop-${i}` },
          campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
        }),
      });
      published.push(((await res.json()) as { id: string }).id);
    }
    await stalledClient(port, `GET /__mock/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await stalledClient(
      port,
      `GET /v1/publications HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-App-Id: ` +
        `a\r\nX-App-Token: b\r\nPrefer: delay=60000\r\n\r\n`,
    );
    await stalledClient(
      port,
      `PUT /__mock/state HTTP/1.1\r\nHost: ` +
        `127.0.0.1:${port}\r\nContent-Type: ` +
        `application/json\r\nContent-Length: 1000000\r\n\r\n{"format":`,
    );
    await stalledClient(port, '');
    // Let the server take them all in.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const stopped = exited(mock.child);
    mock.child.kill('SIGTERM');
    const outcome = await Promise.race([
      stopped,
      new Promise((resolve) => setTimeout(() => resolve('still running after 10 s'), 10_000)),
    ]);
    expect(outcome).toBe(0);

    const restarted = await startCli(port, ['--data', data]);
    expect(restarted.line).toContain('resumed');
    const listed = (await (await fetch(`${restarted.url}/v1/publications?limit=100`, { headers: PAIR })).json()) as {
      publications: Array<{ id: string }>;
    };
    expect(published.filter((id) => !listed.publications.some((p) => p.id === id))).toEqual([]);
    restarted.child.kill('SIGTERM');
    expect(await exited(restarted.child)).toBe(0);
  },
);

it('a second SIGTERM (or SIGINT) while stopping exits at once, also with 0', async () => {
  const mock = await startCli(await freePort());
  const stopped = exited(mock.child);
  mock.child.kill('SIGINT');
  mock.child.kill('SIGINT');
  expect(await stopped).toBe(0);
});
