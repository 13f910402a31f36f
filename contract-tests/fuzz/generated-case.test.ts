/**
 * The generated requests, without a target: valid ones are valid by the
 * spec's own request schemas and carry the target's data; each derived breach
 * is refused by the spec and breaks its request at one place only; the
 * breaches are the schema's constraints (closed objects only where the spec
 * closes them); and a case is sent as meant (deepObject keys, fresh names).
 */
import fc from 'fast-check';
import qs from 'qs';
import type { ErrorObject } from 'ajv/dist/2020';
import { getOperation, querySchema } from '../../src/spec/operations';
import { SchemaCompiler } from '../../src/spec/schema-compiler';
import { DEFAULT_TARGET_DATA } from '../target-data';
import {
  CaseFactory,
  type GeneratedCase,
  MAX_QUERY_BYTES,
  flattenQuery,
  namesCustomer,
  toRequestSpec,
} from './generated-case';
import { FUZZ_OPERATIONS } from './fuzz-runner';
import { FRESH_NAME, rarelySent, runCustomerNames, targetValues } from './target-values';

const RUN = 'unit1';
const factory = new CaseFactory({
  valuesAt: targetValues(DEFAULT_TARGET_DATA, RUN),
  rarely: rarelySent,
  credentials: 'pair',
});
const queryCompiler = new SchemaCompiler(undefined, { coerce: true, allErrors: true });
const bodyCompiler = new SchemaCompiler(undefined, { allErrors: true });

function errorsOf(generated: GeneratedCase, part: 'query' | 'body'): ErrorObject[] {
  const op = getOperation(generated.operationId);
  const validate =
    part === 'query' ? queryCompiler.compile(querySchema(op)) : bodyCompiler.compile(op.bodySchema ?? {});
  validate(part === 'query' ? structuredClone(generated.query) : generated.body);
  return [...(validate.errors ?? [])];
}

/** Two JSON pointers on one line of descent (one is the other, or inside it). */
function related(a: string, b: string): boolean {
  const [x, y] = [a.split('/'), b.split('/')];
  return x.slice(0, Math.min(x.length, y.length)).every((segment, i) => segment === y[i]);
}

const sample = <T>(arbitrary: fc.Arbitrary<T>, numRuns: number): T[] => fc.sample(arbitrary, { seed: 42, numRuns });

describe('valid cases', () => {
  it.each(FUZZ_OPERATIONS.map((op) => [op]))('%s: every one is valid by the spec and fits in a URL', (operationId) => {
    for (const generated of sample(factory.positive(operationId), 200)) {
      expect({
        query: errorsOf(generated, 'query'),
        body: generated.body === undefined ? [] : errorsOf(generated, 'body'),
      }).toEqual({ query: [], body: [] });
      expect(new URLSearchParams(flattenQuery(generated.query)).toString().length).toBeLessThanOrEqual(MAX_QUERY_BYTES);
    }
  });

  it.each(FUZZ_OPERATIONS.map((op) => [op]))(
    '%s: the query a server parses (qs, deepObject keys) is the query generated',
    (operationId) => {
      for (const generated of sample(factory.positive(operationId), 100)) {
        const sent = new URLSearchParams(flattenQuery(generated.query)).toString();
        expect(qs.parse(sent, { depth: 5, arrayLimit: 100 })).toEqual(generated.query);
      }
    },
  );

  it('a path parameter is never a dot segment ("." or ".."), which a URL would drop', () => {
    const values = [
      ...sample(factory.positive('getCustomer'), 1000),
      ...sample(factory.positive('getVoucher'), 1000),
    ].flatMap((c) => Object.values(c.pathParams));
    expect(values.filter((v) => v === '.' || v === '..')).toEqual([]);
  });

  it(
    "creates name the configured customer or one of the run's own, the " +
      'configured campaign and voucher mostly, and a fresh source_id',
    () => {
      const cases = [
        ...sample(factory.positive('createPublication'), 300),
        ...sample(factory.positive('createPublicationFromQuery'), 300),
      ];
      const customers = cases.map((c) =>
        c.operationId === 'createPublication'
          ? (c.body as { customer: Record<string, unknown> }).customer
          : (c.query.customer as Record<string, unknown>),
      );
      // null is the same as leaving it out (the spec's request objects say so).
      expect(new Set(customers.map((c) => c.source_id).filter((s) => s !== undefined && s !== null))).toEqual(
        new Set(runCustomerNames(RUN)),
      );
      const ids = customers.map((c) => c.id).filter((id) => id !== undefined && id !== null);
      expect(ids.filter((id) => id === DEFAULT_TARGET_DATA.customerId).length / ids.length).toBeGreaterThan(0.8);
      const sourceIds = cases
        .map((c) =>
          c.operationId === 'createPublication' ? (c.body as Record<string, unknown>).source_id : c.query.source_id,
        )
        .filter((s) => s !== undefined && s !== null);
      expect(new Set(sourceIds)).toEqual(new Set([FRESH_NAME]));
      // The voucher publishes once: most cases leave it out, so the campaign is what they publish from.
      const vouchers = cases.filter(
        (c) =>
          (c.operationId === 'createPublication' ? (c.body as Record<string, unknown>).voucher : c.query.voucher) !==
          undefined,
      );
      expect(vouchers.length / cases.length).toBeLessThan(0.35);
    },
  );
});

describe('breaches', () => {
  const negatives = Object.fromEntries(FUZZ_OPERATIONS.map((op) => [op, factory.negatives(op)]));
  const names = (operationId: string): string[] => (negatives[operationId] ?? []).map((n) => n.breach);

  it.each<[string, string, string]>([
    ['an integer above its maximum', 'listPublications', 'query limit: above the maximum 100'],
    ['an integer below its minimum', 'listPublications', 'query page: below the minimum 1'],
    ['a text that is no integer', 'listPublications', 'query limit: not of type integer'],
    ['a text that is no boolean', 'createPublicationFromQuery', 'query join_once: not of type boolean'],
    ['a value outside an enum', 'listPublications', 'query result: outside the enum (SUCCESS, FAILURE)'],
    ['a missing required parameter', 'createPublicationFromQuery', 'query: without the required customer'],
    [
      'none of "id or source_id"',
      'createPublication',
      'body customer: none of id, source_id (one of them is required)',
    ],
    [
      'an empty string where one character is the least',
      'createPublication',
      'body source_id: shorter than 1 character',
    ],
    ['a malformed date', 'createPublication', 'body customer.birthday: not a date'],
    ['a wrong type in a body', 'createPublication', 'body campaign: not of type string or object'],
    ['a breach inside one branch of a oneOf', 'createPublication', 'body campaign.count: above the maximum 50'],
    [
      'a missing required property inside a oneOf branch',
      'createPublication',
      'body campaign: without the required name',
    ],
    [
      'an unknown filter field (filters is closed)',
      'listPublications',
      'query filters: an undocumented property (the object is closed: ' +
        'junction, failure_code, result, customer_id, … 10 in all)',
    ],
    [
      'an unknown filter operator',
      'listPublications',
      'query filters[result][conditions]: an undocumented property (the ' +
        'object is closed: $is, $is_not, $in, $not_in, … 10 in all)',
    ],
    ['a body that is no JSON', 'createPublication', 'body: not JSON'],
    [
      'a body under another content type',
      'createPublication',
      'Content-Type: not application/json (the only media type of the request body)',
    ],
    [
      'half the key pair',
      'getVoucher',
      'header X-App-Token: left out (the security requirement X-App-Id + X-App-Token)',
    ],
  ])('derived: %s (%s: %s)', (_name, operationId, breach) => {
    expect(names(operationId)).toContain(breach);
  });

  it.each<[string, RegExp]>([
    [
      'no undocumented property where the object is open (request objects are, filters aside)',
      /^(?!query filters).*undocumented property/,
    ],
    [
      'no wrong type for a string in a query (every query value is text)',
      /^query (voucher|source_id|campaign|customer|order)(\[\w+\])*: not of type string/,
    ],
    [
      'no whole deepObject parameter sent as text (it reads as another parameter)',
      /^query (customer|campaign|metadata|filters): not of type object/,
    ],
  ])('not derived: %s', (_name, pattern) => {
    expect(FUZZ_OPERATIONS.flatMap(names).filter((breach) => pattern.test(breach))).toEqual([]);
  });

  it.each(
    FUZZ_OPERATIONS.flatMap((op) =>
      (negatives[op] ?? [])
        .filter((n) => n.part !== 'header' && n.keyword !== 'json')
        .map((n) => [op, n.breach, n] as const),
    ),
  )('%s, %s: refused by the spec, at that place only, the rest of the request valid', (_op, _breach, negative) => {
    for (const generated of sample(negative.arbitrary, 12)) {
      const errors = errorsOf(generated, negative.part === 'query' ? 'query' : 'body');
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.map((e) => e.instancePath).filter((at) => !related(at, negative.pointer))).toEqual([]);
      const other =
        negative.part === 'query'
          ? generated.body === undefined
            ? []
            : errorsOf(generated, 'body')
          : errorsOf(generated, 'query');
      expect(other).toEqual([]);
    }
  });

  it('a body that is no JSON is never JSON, and shrinks to "{"', () => {
    const malformed = negatives.createPublication?.find((n) => n.keyword === 'json');
    for (const generated of sample(malformed!.arbitrary, 50))
      expect(() => JSON.parse(generated.bodyText ?? '')).toThrow();
    const result = fc.check(
      fc.property(malformed!.arbitrary, () => false),
      { seed: 1 },
    );
    expect((result.counterexample?.[0] as GeneratedCase).bodyText).toBe('{');
  });

  it('an integer above its maximum shrinks to the maximum plus one', () => {
    const above = negatives.listPublications?.find((n) => n.breach === 'query limit: above the maximum 100');
    const result = fc.check(
      fc.property(above!.arbitrary, () => false),
      { seed: 1 },
    );
    expect((result.counterexample?.[0] as GeneratedCase).query).toEqual({ limit: '101' });
  });
});

describe('sending a case', () => {
  const base: GeneratedCase = {
    operationId: 'createPublicationFromQuery',
    kind: 'positive',
    pathParams: {},
    query: {
      customer: { source_id: 'c-1', address: { city: 'Ło dź' } },
      source_id: FRESH_NAME,
      filters: { a: { $in: ['x', 'y'] } },
    },
  };

  it(
    'deepObjects become bracketed keys, arrays indexed, each {fresh} one ' +
      'new name per case, a create with a source_id is safe to resend',
    () => {
      let n = 0;
      const spec = toRequestSpec(base, () => `fresh-${++n}`);
      expect(spec).toMatchObject({
        method: 'GET',
        path: '/v1/publications/create',
        query: {
          'customer[source_id]': 'c-1',
          'customer[address][city]': 'Ło dź',
          source_id: 'fresh-1',
          'filters[a][$in][0]': 'x',
          'filters[a][$in][1]': 'y',
        },
        idempotent: true,
      });
      expect(toRequestSpec(base, () => `fresh-${++n}`).query?.source_id).toBe('fresh-2');
    },
  );

  it('path parameters are encoded; a create without a source_id is not resent', () => {
    expect(
      toRequestSpec(
        { operationId: 'getVoucher', kind: 'positive', pathParams: { code: 'a/b c' }, query: {} },
        () => 'x',
      ),
    ).toMatchObject({ path: '/v1/vouchers/a%2Fb%20c', idempotent: true });
    expect(
      toRequestSpec(
        {
          operationId: 'createPublication',
          kind: 'positive',
          pathParams: {},
          query: {},
          body: { customer: { id: 'c' } },
        },
        () => 'x',
      ).idempotent,
    ).toBe(false);
  });

  it.each<[string, Partial<GeneratedCase>, boolean]>([
    [
      'a query create with customer[source_id]',
      { operationId: 'createPublicationFromQuery', query: { customer: { source_id: 'x' } } },
      true,
    ],
    [
      'a body create with customer.id',
      { operationId: 'createPublication', body: { customer: { id: 'cust_1' } } },
      true,
    ],
    [
      'a body create whose customer has neither',
      { operationId: 'createPublication', body: { customer: { name: 'x' } } },
      false,
    ],
    [
      'a body create with an empty id and no source_id',
      { operationId: 'createPublication', body: { customer: { id: '' } } },
      false,
    ],
    [
      'JSON under text/plain that names a customer',
      { operationId: 'createPublication', bodyText: '{"customer":{"source_id":"x"}}' },
      true,
    ],
    ['a body that is no JSON', { operationId: 'createPublication', bodyText: '{"customer":' }, false],
    ['a list', { operationId: 'listPublications', query: { customer: 'cust_1' } }, false],
  ])('names a customer (so may publish): %s → %s', (_name, partial, expected) => {
    expect(
      namesCustomer({ kind: 'negative', pathParams: {}, query: {}, operationId: 'createPublication', ...partial }),
    ).toBe(expected);
  });
});
