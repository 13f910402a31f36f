/**
 * Determinism, reset, persistence and concurrency: the same seed and requests
 * give the same ids, codes and answers (request ids aside, which are unique
 * per run); a reset replays them; a restart on a data file
 * resumes exactly; simultaneous requests never share or lose a code.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { PAIR, type TestMock, queryString, testMock } from './support/test-mock';

/** A fixed sequence of requests touching every operation and a few errors. */
async function script(mock: TestMock): Promise<string[]> {
  const out: string[] = [];
  const texts = async (res: Promise<{ text: string; status: number }>) => {
    const r = await res;
    out.push(`${r.status} ${r.text}`);
  };
  await texts(
    mock.api
      .post('/v1/publications')
      .set(PAIR)
      .send({ customer: { source_id: 'd1', name: 'Dee' }, campaign: WELL_KNOWN.autoUpdateCampaignName }),
  );
  await texts(
    mock.api
      .post('/v1/publications')
      .set(PAIR)
      .send({ customer: { source_id: 'd2' }, campaign: { name: WELL_KNOWN.percentCampaignName, count: 3 } }),
  );
  await texts(
    mock.api
      .get(
        `/v1/publications/create?${queryString({
          customer: { source_id: 'd3' },
          campaign: { name: WELL_KNOWN.exampleCampaignName },
          join_once: true,
        })}`,
      )
      .set(PAIR),
  );
  await texts(
    mock.api
      .post('/v1/publications')
      .set(PAIR)
      .send({ customer: { source_id: 'd4' }, voucher: WELL_KNOWN.alreadyPublishedCode }),
  );
  await texts(mock.api.get('/v1/publications?limit=5').set(PAIR));
  return out;
}

/** The request ids in a script's answers, and the answers without them. */
function splitRequestIds(answers: string[]): { ids: string[]; rest: string[] } {
  const ids: string[] = [];
  const rest = answers.map((answer) =>
    answer.replace(/"request_id":"(v-[0-9a-f]{18})"/g, (_match, id: string) => {
      ids.push(id);
      return '"request_id":"…"';
    }),
  );
  return { ids, rest };
}

describe('determinism', () => {
  it('the same seed, requests and run key, with a frozen clock, give byte-identical bodies', async () => {
    const a = testMock({ seed: 7, runId: 'run-a' });
    const b = testMock({ seed: 7, runId: 'run-a' });
    expect(await script(a)).toEqual(await script(b));
    a.close();
    b.close();
  });

  it(
    'two runs of the same seed give the same ids and codes but request_ids ' + 'of their own, unique across both',
    async () => {
      const a = testMock({ seed: 7 });
      const b = testMock({ seed: 7 });
      const first = splitRequestIds(await script(a));
      const second = splitRequestIds(await script(b));
      expect(second.rest).toEqual(first.rest);
      expect(first.ids.length).toBeGreaterThan(0);
      expect(new Set([...first.ids, ...second.ids]).size).toBe(first.ids.length + second.ids.length);
      a.close();
      b.close();
    },
  );

  it('another seed gives other ids and codes', async () => {
    const a = testMock({ seed: 7 });
    const b = testMock({ seed: 8 });
    expect(splitRequestIds(await script(a)).rest).not.toEqual(splitRequestIds(await script(b)).rest);
    a.close();
    b.close();
  });

  it(
    'POST /__mock/reset restores the fixtures and the random sequence of ' +
      'ids and codes; request_ids go on, never repeating',
    async () => {
      const mock = testMock({ seed: 3 });
      const first = splitRequestIds(await script(mock));
      const reset = await mock.api.post('/__mock/reset');
      expect(reset.status).toBe(200);
      const again = splitRequestIds(await script(mock));
      expect(again.rest).toEqual(first.rest);
      expect(again.ids.filter((id) => first.ids.includes(id))).toEqual([]);
      mock.close();
    },
  );
});

describe('GET /__mock/campaigns', () => {
  it('lists each campaign with vouchers_total, vouchers_remaining and auto_update', async () => {
    const mock = testMock();
    const before = (await mock.api.get('/__mock/campaigns')).body.campaigns as Array<Record<string, unknown>>;
    const fixed = before.find((c) => c.name === WELL_KNOWN.fixedCampaignName)!;
    expect(fixed).toMatchObject({
      vouchers_total: WELL_KNOWN.fixedCampaignSize,
      vouchers_remaining: WELL_KNOWN.fixedCampaignSize,
      auto_update: false,
    });
    expect(before.find((c) => c.name === WELL_KNOWN.autoUpdateCampaignName)).toMatchObject({ auto_update: true });
    await mock.api
      .post('/v1/publications')
      .set(PAIR)
      .send({ customer: { source_id: 'x' }, campaign: WELL_KNOWN.fixedCampaignName });
    const after = (await mock.api.get('/__mock/campaigns')).body.campaigns as Array<Record<string, unknown>>;
    expect(after.find((c) => c.name === WELL_KNOWN.fixedCampaignName)).toMatchObject({
      vouchers_remaining: WELL_KNOWN.fixedCampaignSize - 1,
    });
    mock.close();
  });
});

describe('persistence with a data file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'publications-mock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'a restart on the same file resumes exactly: published codes, ' + 'customers, join_once memory, source_ids',
    async () => {
      const data = join(dir, 'state.db');
      const first = testMock({ data, seed: 5 });
      const joined = await first.api
        .get(
          `/v1/publications/create?${queryString({
            customer: { source_id: 'p1' },
            campaign: { name: WELL_KNOWN.fixedCampaignName },
            join_once: true,
          })}`,
        )
        .set(PAIR);
      const sourced = await first.api
        .post('/v1/publications')
        .set(PAIR)
        .send({ customer: { source_id: 'p2' }, campaign: WELL_KNOWN.percentCampaignName, source_id: 'order-p2' });
      const next = await first.api
        .post('/v1/publications')
        .set(PAIR)
        .send({ customer: { source_id: 'p3' }, campaign: WELL_KNOWN.autoUpdateCampaignName });
      first.close();

      const second = testMock({ data, seed: 5 });
      const again = await second.api
        .get(
          `/v1/publications/create?${queryString({
            customer: { source_id: 'p1' },
            campaign: { name: WELL_KNOWN.fixedCampaignName },
            join_once: true,
          })}`,
        )
        .set(PAIR);
      expect(again.body.voucher.code).toBe(joined.body.voucher.code);
      const retry = await second.api
        .post('/v1/publications')
        .set(PAIR)
        .send({ customer: { source_id: 'p2' }, campaign: WELL_KNOWN.percentCampaignName, source_id: 'order-p2' });
      expect(retry.body.voucher.code).toBe(sourced.body.voucher.code);
      const dup = await second.api
        .post('/v1/publications')
        .set(PAIR)
        .send({ customer: { source_id: 'p9' }, campaign: WELL_KNOWN.percentCampaignName, source_id: 'order-p2' });
      expect(dup.body.key).toBe('duplicate_source_id');
      const taken = await second.api
        .post('/v1/publications')
        .set(PAIR)
        .send({ customer: { source_id: 'p4' }, voucher: next.body.voucher.code });
      expect(taken.body.key).toBe('voucher_already_published');
      // Counters resume: a new publication gets a new id, not a replay of one made before the restart.
      const fresh = await second.api
        .post('/v1/publications')
        .set(PAIR)
        .send({ customer: { source_id: 'p5' }, campaign: WELL_KNOWN.autoUpdateCampaignName });
      expect([joined.body.id, sourced.body.id, next.body.id]).not.toContain(fresh.body.id);
      expect(fresh.body.voucher.code).not.toBe(next.body.voucher.code);
      const listed = await second.api.get('/v1/publications?result=SUCCESS&limit=100').set(PAIR);
      expect(listed.body.total).toBe(4);
      second.close();
    },
  );

  it('a data file made with one seed refuses another explicit seed, with a clear message', () => {
    const data = join(dir, 'state.db');
    testMock({ data, seed: 5 }).close();
    expect(() => testMock({ data, seed: 6 })).toThrow(/created with seed 5/);
  });
});

describe('a data file and the fixtures it was made from', () => {
  const EXAMPLE = join(__dirname, '..', 'mocks', 'example-fixtures.yaml');
  let dir: string;
  let data: string;
  let fixtures: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'publications-origin-'));
    data = join(dir, 'state.db');
    fixtures = join(dir, 'fixtures.yaml');
    copyFileSync(EXAMPLE, fixtures);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const edit = (file: string, change: (text: string) => string): void =>
    writeFileSync(file, change(readFileSync(file, 'utf8')));
  const other = (): string => {
    const file = join(dir, 'other.yaml');
    writeFileSync(
      file,
      'campaigns:\n  - name: Other\n    type: DISCOUNT_VOUCHER\n    ' +
        'discount: { type: AMOUNT, amount_off: 100 }\n    codes: [OTHER-1]\n',
    );
    return file;
  };
  const copy = (): string => {
    const file = join(dir, 'moved.yaml');
    copyFileSync(fixtures, file);
    return file;
  };

  /** Made with `first`, restarted with `then` (undefined: the generated world). */
  const CASES: Array<[string, 'fixtures' | undefined, () => string | undefined, RegExp | 'resumes']> = [
    ['generated, then generated again → resumes', undefined, () => undefined, 'resumes'],
    ['from a file, then the same file unchanged → resumes', 'fixtures', () => fixtures, 'resumes'],
    [
      'from a file, then the same file with only a comment added → resumes (the same world)',
      'fixtures',
      () => (edit(fixtures, (t) => `# a note\n${t}`), fixtures),
      'resumes',
    ],
    ['from a file, then a copy of it elsewhere → resumes (the same world)', 'fixtures', copy, 'resumes'],
    [
      'generated, then --fixtures → refused: it holds the generated world',
      undefined,
      () => fixtures,
      /state\.db holds the generated world \(seed 1\), not the one .*fixtures\.yaml describes; use another --data file/,
    ],
    [
      'from a file, then that file edited (a code added) → refused: it has changed',
      'fixtures',
      () => (edit(fixtures, (t) => t.replace('codes: [LOYAL-01]', 'codes: [LOYAL-01, LOYAL-02]')), fixtures),
      /fixtures\.yaml has changed since .*state\.db was made from it; use another --data file/,
    ],
    [
      'from a file, then another file → refused, naming both',
      'fixtures',
      other,
      /state\.db was made from .*fixtures\.yaml, whose world differs from the one .*other\.yaml describes/,
    ],
    [
      'from a file, then no --fixtures → refused, naming the file to give',
      'fixtures',
      () => undefined,
      /state\.db was made from the fixture file .*fixtures\.yaml; start with --fixtures .*fixtures\.yaml to resume it/,
    ],
  ];

  it.each(CASES)('%s', async (_name, first, then, outcome) => {
    const made = testMock({ data, fixtures: first === 'fixtures' ? fixtures : undefined });
    const customer = first === 'fixtures' ? 'alice' : WELL_KNOWN.exampleCustomerSourceId;
    const campaign = first === 'fixtures' ? 'Newsletter Codes' : WELL_KNOWN.autoUpdateCampaignName;
    const published = await made.api
      .post('/v1/publications')
      .set(PAIR)
      .send({ customer: { source_id: customer }, campaign });
    expect(published.status).toBe(200);
    made.close();

    const next = then();
    if (outcome === 'resumes') {
      const again = testMock({ data, fixtures: next });
      const listed = await again.api.get(`/v1/publications?customer=${published.body.customer_id}`).set(PAIR);
      expect(listed.body.publications.map((p: { id: string }) => p.id)).toEqual([published.body.id]);
      again.close();
    } else {
      expect(() => testMock({ data, fixtures: next })).toThrow(outcome);
    }
  });

  it(
    'a reset on a data file stores the origin of the fixtures it reset to: ' +
      'after editing the file and a reset, a restart resumes',
    async () => {
      const made = testMock({ data, fixtures });
      edit(fixtures, (t) => t.replace('codes: [LOYAL-01]', 'codes: [LOYAL-01, LOYAL-02]'));
      expect((await made.api.post('/__mock/reset')).status).toBe(200);
      made.close();
      const again = testMock({ data, fixtures });
      expect(again.state.store.findVoucherByCode('LOYAL-02')).toBeDefined();
      again.close();
    },
  );
});

describe('concurrency', () => {
  it('50 simultaneous join_once requests for one customer get one code', async () => {
    const mock = testMock();
    const url = `/v1/publications/create?${queryString({
      customer: { source_id: 'crowd' },
      campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
      join_once: true,
    })}`;
    const answers = await Promise.all(Array.from({ length: 50 }, () => mock.api.get(url).set(PAIR)));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(answers.map((r) => r.body.voucher.code)).size).toBe(1);
    mock.close();
  });

  it(
    'simultaneous requests on a campaign with N codes left give exactly N ' + 'successes, never the same code twice',
    async () => {
      const mock = testMock();
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          mock.api
            .post('/v1/publications')
            .set(PAIR)
            .send({ customer: { source_id: `rush-${i}` }, campaign: WELL_KNOWN.fixedCampaignName }),
        ),
      );
      const ok = answers.filter((r) => r.status === 200);
      expect(ok).toHaveLength(WELL_KNOWN.fixedCampaignSize);
      expect(new Set(ok.map((r) => r.body.voucher.code)).size).toBe(WELL_KNOWN.fixedCampaignSize);
      expect(
        answers.filter((r) => r.status === 400).every((r) => r.body.key === 'no_voucher_suitable_for_publication'),
      ).toBe(true);
      mock.close();
    },
  );
});
