/**
 * Several mock processes on one PostgreSQL behave as one API (issue #11): three
 * built CLIs (`node dist/src/cli.js --data postgres://…`) started at once on one
 * database, raced over HTTP. Every process is killed by its PID when the file
 * ends; each burst is bounded in count.
 */
import { Client } from 'pg';
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { type CliProcess, exited, killStartedClis, spawnCli, startCli } from './support/cli-process';
import { freePort } from './support/free-port';
import { describeWithPostgres } from './support/postgres-server';
import { PAIR } from './support/test-mock';

jest.setTimeout(120_000);

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function post(url: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${url}/v1/publications`, {
    method: 'POST',
    headers: { ...PAIR, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function list(url: string, query: string): Promise<{ total: number; ids: string[] }> {
  const res = await fetch(`${url}/v1/publications?${query}`, { headers: PAIR });
  const body = (await res.json()) as { total: number; publications: Array<{ id: string }> };
  return { total: body.total, ids: body.publications.map((p) => p.id) };
}

async function reset(url: string): Promise<void> {
  const res = await fetch(`${url}/__mock/reset`, { method: 'POST' });
  expect(res.status).toBe(200);
}

/** The code (or codes) a publication answer gives. */
function codesOf(answer: Answer): string[] {
  const voucher = answer.body.voucher as { code?: string } | undefined;
  if (voucher?.code !== undefined) return [voucher.code];
  return (answer.body.vouchers as string[] | undefined) ?? [];
}

afterAll(() => killStartedClis());

describeWithPostgres('three mock processes on one PostgreSQL', (database) => {
  let mocks: CliProcess[] = [];

  beforeAll(async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    // Started at once: the migration and the first fill must happen once whichever wins.
    mocks = await Promise.all(ports.map((port) => startCli(port, ['--data', database().url])));
  });

  afterAll(async () => {
    // A replica that ended on its own is a failure of the run: its output says why.
    const ended = mocks.filter((mock) => mock.child.exitCode !== null || mock.child.signalCode !== null);
    expect(ended.map((mock) => mock.output())).toEqual([]);
    for (const mock of mocks) mock.child.kill('SIGTERM');
    await Promise.all(mocks.map((mock) => exited(mock.child)));
  });

  // A reset on one replica resets the shared world for all.
  beforeEach(() => reset(mocks[0]!.url));

  it('60 simultaneous join_once requests for one customer, spread over the processes → one code', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post(mocks[i % 3]!.url, {
          customer: { source_id: 'joiner' },
          campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
          join_once: true,
        }),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
    expect(new Set(answers.flatMap(codesOf)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  });

  it('a pool of 5 hit by 20 over the processes → exactly 5 published, no code twice, the rest refused', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(mocks[i % 3]!.url, {
          customer: { source_id: `pool-${i}` },
          campaign: { name: WELL_KNOWN.fixedCampaignName },
        }),
      ),
    );
    const published = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    expect(published).toHaveLength(5);
    expect(new Set(published.flatMap(codesOf)).size).toBe(5);
    expect(refused.map((a) => [a.status, a.body.key])).toEqual(
      Array.from({ length: 15 }, () => [400, 'no_voucher_suitable_for_publication']),
    );
  });

  it('a source_id retry on another process → the first publication', async () => {
    const request = {
      customer: { source_id: 'retrier' },
      campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
      source_id: 'order-42',
    };
    const first = await post(mocks[0]!.url, request);
    const retries = await Promise.all([post(mocks[1]!.url, request), post(mocks[2]!.url, request)]);
    expect(first.status).toBe(200);
    expect(retries.map((r) => [r.status, r.body.id, codesOf(r)])).toEqual([
      [200, first.body.id, codesOf(first)],
      [200, first.body.id, codesOf(first)],
    ]);
  });

  it('a publication made on one process is listed by the others', async () => {
    const made = await post(mocks[2]!.url, {
      customer: { source_id: 'lister' },
      campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
    });
    expect(made.status).toBe(200);
    for (const mock of mocks) {
      expect(await list(mock.url, `customer=${String(made.body.customer_id)}`)).toEqual({
        total: 1,
        ids: [made.body.id],
      });
    }
  });

  it('the same seed and requests give the same ids and codes as the embedded SQLite store', async () => {
    const sqlite = await startCli(await freePort());
    try {
      const sequence = [
        { customer: { source_id: 'd1' }, campaign: { name: WELL_KNOWN.autoUpdateCampaignName } },
        { customer: { source_id: 'd2' }, campaign: { name: WELL_KNOWN.fixedCampaignName } },
        { customer: { source_id: 'd1' }, campaign: { name: WELL_KNOWN.autoUpdateCampaignName }, source_id: 's-1' },
        { customer: { source_id: 'd3' }, campaign: { name: WELL_KNOWN.giftCampaignName, count: 2 } },
      ];
      const run = async (url: string): Promise<unknown[]> => {
        const out: unknown[] = [];
        for (const body of sequence) {
          const answer = await post(url, body);
          out.push([answer.status, answer.body.id, answer.body.customer_id, codesOf(answer)]);
        }
        return out;
      };
      const onPostgres = await run(mocks[1]!.url);
      expect(await run(sqlite.url)).toEqual(onPostgres);
    } finally {
      sqlite.child.kill('SIGTERM');
      await exited(sqlite.child);
    }
  });

  it('kill -9 of one process during a burst → every acknowledged publication is there', async () => {
    const victim = spawnCli(await freePort(), ['--data', database().url]);
    const doomed = await victim.listening;
    const acknowledged: string[] = [];
    let sent = 0;
    const burst = Array.from({ length: 40 }, async (_, i) => {
      const url = i % 2 === 0 ? doomed.url : mocks[0]!.url;
      sent++;
      try {
        const answer = await post(url, {
          customer: { source_id: `burst-${i}` },
          campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
        });
        if (answer.status === 200) acknowledged.push(String(answer.body.id));
        else expect(answer.status).toBeLessThan(500);
      } catch {
        // The killed process's connections fail: those requests were never acknowledged.
      }
      if (acknowledged.length === 10) doomed.child.kill('SIGKILL');
    });
    await Promise.all(burst);
    expect(await exited(doomed.child)).toBe('SIGKILL');
    expect(sent).toBe(40);
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);
    const listed = new Set<string>();
    for (let page = 1; page <= 2; page++) {
      for (const id of (await list(mocks[1]!.url, `limit=100&page=${page}`)).ids) listed.add(id);
    }
    expect(acknowledged.filter((id) => !listed.has(id))).toEqual([]);
  });

  it("a dashboard's live view hears another replica's writes (LISTEN/NOTIFY)", async () => {
    const controller = new AbortController();
    const stream = await fetch(`${mocks[1]!.url}/__mock/events`, { signal: controller.signal });
    const reader = stream.body!.getReader();
    let text = '';
    // One reader: resolves once `pattern` has arrived (false when the stream ends or after 10 s).
    const arrived = async (pattern: RegExp): Promise<boolean> => {
      const deadline = Date.now() + 10_000;
      while (!pattern.test(text)) {
        if (Date.now() > deadline) return false;
        const { value, done } = await reader.read();
        if (done) return false;
        text += Buffer.from(value).toString();
      }
      return true;
    };
    try {
      // The stream is open (its hello arrived) before the write is made.
      expect(await arrived(/event: hello/)).toBe(true);
      const made = await post(mocks[0]!.url, {
        customer: { source_id: 'watched' },
        campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
      });
      expect(made.status).toBe(200);
      expect(await arrived(/event: state\ndata: \{"reason":"replica"\}/)).toBe(true);
    } finally {
      controller.abort();
    }
  });

  it('the database lost while running → 503 in the error shape; back → served again without a restart', async () => {
    const admin = new Client({ connectionString: database().serverUrl });
    await admin.connect();
    const name = database().name;
    const request = { customer: { source_id: 'outage' }, campaign: { name: WELL_KNOWN.autoUpdateCampaignName } };
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      const lost = await post(mocks[0]!.url, request);
      expect([lost.status, lost.body.code, lost.body.key, Object.keys(lost.body).sort()]).toEqual([
        503,
        503,
        'service_unavailable',
        ['code', 'details', 'key', 'message', 'request_id'],
      ]);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    const back = await post(mocks[0]!.url, request);
    expect(back.status).toBe(200);
  });
});
