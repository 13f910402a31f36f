/**
 * Several processes on one `--data` file (a user scaling on one host): the
 * built CLI, two or three at once. Starting together on a new file creates
 * the schema and the starting world once (the others wait for the write lock
 * and resume it); concurrent creates spread over the processes get no 5xx
 * ("database is locked" once answered 36–51 % of them) and the rules stay
 * exact across processes: a pool gives each code once, join_once one code per
 * customer, a source_id one publication. Counts are fixed; every process is
 * killed by its PID.
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { POOL_SIZE, WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { openSqliteStore } from '../../src/store/sqlite-store';
import { type CliProcess, killStartedClis, spawnCli, startCli } from '../support/cli-process';
import { freePort } from '../support/free-port';
import { type Answer, jsonRequest } from '../support/json-request';
import { queryString } from '../support/test-mock';

jest.setTimeout(120_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mock-shared-file-'));
});
afterEach(() => {
  killStartedClis();
  rmSync(dir, { recursive: true, force: true });
});
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
afterAll(() => agent.destroy());

function call(url: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  return jsonRequest(agent, url, method, path, body);
}

/** Starts `count` CLIs on one data file, all at once. */
async function startMany(count: number, data: string): Promise<CliProcess[]> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  return Promise.all(ports.map((port) => startCli(port, ['--data', data])));
}

/** True once the process has the file open (it is then past opening it, at the lock). */
function hasOpen(pid: number, file: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/**
 * Holds the file's write lock (as another process in the middle of a write
 * would) while `count` CLIs start on it, until each has opened the file and
 * had time to reach the lock; then lets them go, all at once.
 */
async function startManyAgainstALock(count: number, data: string): Promise<CliProcess[]> {
  const holder = new Database(data);
  holder.pragma('journal_mode = WAL');
  holder.exec('BEGIN IMMEDIATE');
  try {
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    const spawned = ports.map((port) => spawnCli(port, ['--data', data]));
    const pids = spawned.map((s) => s.child.pid!);
    for (let i = 0; i < 200 && !pids.every((pid) => hasOpen(pid, data)); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pids.every((pid) => hasOpen(pid, data))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    holder.exec('ROLLBACK');
    holder.close();
    return await Promise.all(spawned.map((s) => s.listening));
  } finally {
    if (holder.open) {
      holder.exec('ROLLBACK');
      holder.close();
    }
  }
}

const starts = (mocks: CliProcess[]): string[] =>
  mocks.map((m) => (m.line.includes(', filled') ? 'filled' : m.line.includes(', resumed') ? 'resumed' : m.line)).sort();

describe('starting together on one file', () => {
  it(
    'three CLIs on a new file while another holds its write lock: the ' + 'schema is made once, one fills, two resume',
    async () => {
      const data = join(dir, 'new.db');
      const mocks = await startManyAgainstALock(3, data);
      expect(starts(mocks)).toEqual(['filled', 'resumed', 'resumed']);
    },
  );

  it(
    'three CLIs on a file with the schema but no world yet, while another ' +
      'holds its write lock: one fills, two resume',
    async () => {
      const data = join(dir, 'schema-only.db');
      openSqliteStore({ file: data }).close();
      const mocks = await startManyAgainstALock(3, data);
      expect(starts(mocks)).toEqual(['filled', 'resumed', 'resumed']);
      // All three serve the same world.
      const campaigns = await Promise.all(
        mocks.map(async (m) => (await call(m.url, 'GET', '/__mock/campaigns')).body.campaigns),
      );
      expect(campaigns[1]).toEqual(campaigns[0]);
      expect(campaigns[2]).toEqual(campaigns[0]);
    },
  );

  it.each([2, 3])('%i CLIs started at once on a new file, three times: every one starts, one fills', async (count) => {
    for (let round = 0; round < 3; round++) {
      const mocks = await startMany(count, join(dir, `race-${count}-${round}.db`));
      expect(starts(mocks)).toEqual(['filled', ...Array(count - 1).fill('resumed')]);
      killStartedClis();
    }
  });
});

describe.each([2, 3])('%i processes on one file, concurrent creates', (count) => {
  let mocks: CliProcess[];
  beforeEach(async () => {
    mocks = await startMany(count, join(dir, 'shared.db'));
  });
  const on = (i: number): string => mocks[i % mocks.length]!.url;

  it(
    `a pool of ${POOL_SIZE} codes hit by ${POOL_SIZE * 3} simultaneous ` +
      `POSTs across the processes: no 5xx, exactly ${POOL_SIZE} successes, ` +
      `no code twice`,
    async () => {
      const answers = await Promise.all(
        Array.from({ length: POOL_SIZE * 3 }, (_, i) =>
          call(on(i), 'POST', '/v1/publications', {
            customer: { source_id: `pool-${i}` },
            campaign: WELL_KNOWN.percentCampaignName,
          }),
        ),
      );
      expect(answers.filter((a) => a.status >= 500)).toEqual([]);
      const ok = answers.filter((a) => a.status === 200);
      expect(ok).toHaveLength(POOL_SIZE);
      expect(new Set(ok.map((a) => (a.body.voucher as { code: string }).code)).size).toBe(POOL_SIZE);
      expect(answers.filter((a) => a.status !== 200).map((a) => a.body.key)).toEqual(
        Array(POOL_SIZE * 2).fill('no_voucher_suitable_for_publication'),
      );
    },
  );

  it(
    '150 simultaneous creates from an auto-update campaign across the ' +
      'processes: all 200, 150 distinct codes, all listed by each process',
    async () => {
      const answers = await Promise.all(
        Array.from({ length: 150 }, (_, i) =>
          call(on(i), 'POST', '/v1/publications', {
            customer: { source_id: `auto-${i}` },
            campaign: WELL_KNOWN.autoUpdateCampaignName,
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(150).fill(200));
      expect(new Set(answers.map((a) => (a.body.voucher as { code: string }).code)).size).toBe(150);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(150);
      for (const mock of mocks) expect((await call(mock.url, 'GET', '/v1/publications?limit=1')).body.total).toBe(150);
    },
  );

  it(
    '60 simultaneous join_once creates for one customer across the ' + 'processes: all 200, one code, one publication',
    async () => {
      const path = `/v1/publications/create?${queryString({
        customer: { source_id: 'joiner' },
        campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
        join_once: true,
      })}`;
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => call(on(i), 'GET', path)));
      expect(answers.map((a) => a.status)).toEqual(Array(60).fill(200));
      expect(new Set(answers.map((a) => (a.body.voucher as { code: string }).code)).size).toBe(1);
      expect(
        (await call(on(0), 'GET', `/v1/publications?customer=${String(answers[0]!.body.customer_id)}`)).body.total,
      ).toBe(1);
    },
  );

  it(
    'one source_id sent 40 times at once across the processes: no 5xx, one ' +
      'publication, the rest that one or duplicate_source_id',
    async () => {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          call(on(i), 'POST', '/v1/publications', {
            customer: { source_id: i % 2 === 0 ? 'owner' : `other-${i}` },
            campaign: WELL_KNOWN.autoUpdateCampaignName,
            source_id: 'order-1',
          }),
        ),
      );
      expect(answers.filter((a) => a.status >= 500)).toEqual([]);
      expect(new Set(answers.filter((a) => a.status === 200).map((a) => a.body.id)).size).toBe(1);
      expect(answers.filter((a) => a.status !== 200).every((a) => a.body.key === 'duplicate_source_id')).toBe(true);
      expect((await call(on(1), 'GET', '/v1/publications?source_id=order-1')).body.total).toBe(1);
    },
  );
});
