import qs from 'qs';
import { type JournalRecord, RequestJournal } from './request-journal';

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
    ['the answer when the request named a source_id only', { body: { customer: { source_id: 's2' } }, answer: { customer: { id: 'cust_2', source_id: 's2' } } }, { id: 'cust_2', source_id: 's2' }],
    ['a list filter by customer id', { queryText: 'customer=cust_3' }, { id: 'cust_3', source_id: null }],
  ])('the customer of an entry: %s', (_name, overrides, customer) => {
    const journal = new RequestJournal(5, parse);
    journal.add(record(overrides));
    expect(journal.list()[0]!.customer).toEqual(customer);
  });

  it('a view is made once, when first read: the duration rounded to 0.1 ms', () => {
    const journal = new RequestJournal(5, parse);
    const id = journal.add(record());
    expect(journal.get(id)).toBe(journal.list()[0]);
    expect(journal.get(id)!.duration_ms).toBe(1.2);
  });
});
