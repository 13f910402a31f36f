import fc from 'fast-check';
import qs from 'qs';
import { maskSecrets } from './mask-secrets';
import { BODY_PREFIX_CHARS, type JournalRecord, RequestJournal } from './request-journal';

function record(overrides: Partial<JournalRecord> = {}): JournalRecord {
  return {
    time: '2026-01-01T00:00:00.000Z',
    method: 'GET',
    path: '/v1/publications',
    queryText: '',
    body: undefined,
    headers: {},
    status: 200,
    durationMs: 1.234,
    errorKey: null,
    forced: null,
    answer: undefined,
    ...overrides,
  };
}

const parse = (text: string) => qs.parse(text) as Record<string, unknown>;

describe('RequestJournal, a ring buffer', () => {
  it('keeps the newest `capacity` entries, newest first, with ids that keep counting', () => {
    const journal = new RequestJournal(3, parse);
    for (let i = 1; i <= 5; i++) journal.add(record({ queryText: `n=${i}` }));
    expect(journal.list().map((e) => [e.id, e.query.n])).toEqual([
      [5, '5'],
      [4, '4'],
      [3, '3'],
    ]);
    expect(journal.size).toBe(3);
  });

  it('clear() empties it and restarts the ids', () => {
    const journal = new RequestJournal(3, parse);
    journal.add(record());
    journal.clear();
    expect(journal.list()).toEqual([]);
    expect(journal.add(record())).toBe(1);
  });

  it('capacity 0 keeps nothing', () => {
    const journal = new RequestJournal(0, parse);
    expect(journal.add(record())).toBe(0);
    expect(journal.list()).toEqual([]);
  });

  it.each<[string, Partial<JournalRecord>, { id: string | null; source_id: string | null }]>([
    ['source_id in a query', { queryText: 'customer[source_id]=s1' }, { id: null, source_id: 's1' }],
    ['id in a body', { body: { customer: { id: 'cust_1' } } }, { id: 'cust_1', source_id: null }],
    [
      'the answer when the request named a source_id only',
      { body: { customer: { source_id: 's2' } }, answer: { customer: { id: 'cust_2', source_id: 's2' } } },
      { id: 'cust_2', source_id: 's2' },
    ],
    ['a list filter by customer id', { queryText: 'customer=cust_3' }, { id: 'cust_3', source_id: null }],
  ])('the customer of an entry: %s', (_name, overrides, customer) => {
    const journal = new RequestJournal(5, parse);
    journal.add(record(overrides));
    expect(journal.list()[0]!.customer).toEqual(customer);
  });

  it('a view is made when read, from what the entry kept: the duration rounded to 0.1 ms', () => {
    const journal = new RequestJournal(5, parse);
    const id = journal.add(record());
    expect(journal.get(id)).toEqual(journal.list()[0]);
    expect(journal.get(id)!.duration_ms).toBe(1.2);
  });
});

describe('RequestJournal keeps bounded parts of each request, within a total budget', () => {
  const big = (n: number) => ({ customer: { source_id: 's' }, items: Array.from({ length: n }, () => ({})) });

  it.each<[string, Partial<JournalRecord>, { body: unknown; body_truncated: boolean }]>([
    ['a small body: kept whole', { body: { a: 1 } }, { body: { a: 1 }, body_truncated: false }],
    ['no body', {}, { body: null, body_truncated: false }],
    ['a body answered 401: nothing of it', { body: { a: 1 }, status: 401 }, { body: null, body_truncated: true }],
    [
      'a body just at the limit: whole',
      { body: 'x'.repeat(BODY_PREFIX_CHARS - 2) },
      { body: 'x'.repeat(BODY_PREFIX_CHARS - 2), body_truncated: false },
    ],
  ])('%s', (_name, overrides, expected) => {
    const journal = new RequestJournal(5, parse);
    journal.add(record(overrides));
    expect(journal.list()[0]).toMatchObject(expected);
  });

  it(
    `a body longer than ${BODY_PREFIX_CHARS} characters: its first ` +
      `${BODY_PREFIX_CHARS} characters of masked JSON, flagged as cut`,
    () => {
      const journal = new RequestJournal(5, parse);
      const body = { token: 'secret-value', ...big(100_000) };
      journal.add(record({ body }));
      const [entry] = journal.list();
      expect(entry!.body_truncated).toBe(true);
      expect(entry!.body).toBe(JSON.stringify({ ...body, token: '***' }).slice(0, BODY_PREFIX_CHARS));
      expect(JSON.stringify(entry)).not.toContain('secret-value');
    },
  );

  it('keeps no reference to what the request sent: changing the body afterwards changes no entry', () => {
    const journal = new RequestJournal(5, parse);
    const body = { customer: { source_id: 'before' } };
    journal.add(record({ body, answer: { customer: { id: 'cust_1', source_id: 'before' } } }));
    body.customer.source_id = 'after';
    expect(journal.list()[0]!.body).toEqual({ customer: { source_id: 'before' } });
  });

  it('long paths, query strings, header values and error details are capped', () => {
    const journal = new RequestJournal(5, parse);
    journal.add(
      record({
        path: `/${'p'.repeat(100_000)}`,
        queryText: `q=${'x'.repeat(100_000)}`,
        headers: { prefer: 'y'.repeat(100_000) },
        status: 400,
        answer: { code: 400, key: 'invalid_payload', message: 'Invalid payload', details: 'd'.repeat(100_000) },
      }),
    );
    const [entry] = journal.list();
    expect(entry!.path.length).toBeLessThanOrEqual(1024);
    expect(String(entry!.query.q).length).toBeLessThanOrEqual(8 * 1024);
    expect(entry!.headers.prefer!.length).toBeLessThanOrEqual(512);
    expect(String((entry!.error as { details: string }).details).length).toBeLessThanOrEqual(1024);
  });

  it('500 entries of large requests keep at most the budget: the oldest go first, the newest stay', () => {
    const budget = 200_000;
    const journal = new RequestJournal(500, parse, budget);
    for (let i = 1; i <= 500; i++)
      journal.add(record({ queryText: `n=${i}&pad=${'x'.repeat(8000)}`, body: big(50_000) }));
    expect(journal.keptChars).toBeLessThanOrEqual(budget);
    expect(journal.size).toBeLessThan(500);
    expect(journal.size).toBeGreaterThan(1);
    const entries = journal.list();
    expect(entries[0]!.query.n).toBe('500');
    expect(entries.map((e) => e.id)).toEqual(Array.from({ length: journal.size }, (_, i) => 500 - i));
    journal.clear();
    expect(journal.keptChars).toBe(0);
  });

  it('small requests are not evicted by the budget: 500 of them are all kept', () => {
    const journal = new RequestJournal(500, parse);
    for (let i = 0; i < 600; i++) journal.add(record({ body: { customer: { source_id: `c-${i}` } } }));
    expect(journal.size).toBe(500);
  });

  it('a body is kept as JSON.stringify(maskSecrets(body)) would write it, whole or as its prefix', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (body) => {
        const journal = new RequestJournal(1, parse);
        journal.add(record({ body }));
        const [entry] = journal.list();
        const whole = JSON.stringify(maskSecrets(body)) ?? 'null';
        if (whole.length > BODY_PREFIX_CHARS) expect(entry!.body).toBe(whole.slice(0, BODY_PREFIX_CHARS));
        else expect(JSON.stringify(entry!.body)).toBe(whole);
      }),
      { numRuns: 200 },
    );
  });
});
