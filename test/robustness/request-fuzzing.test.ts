/**
 * Property-based robustness: fast-check makes requests no client should send
 * (nested and malformed brackets, odd and broken percent-encodings, huge
 * numbers, unicode, prototype keys, bodies of every wrong type, wrong methods)
 * and each answer must hold three things:
 *   1. never a 5xx (strict mode is on, so a body that breaks the spec is a 500 too);
 *   2. a JSON error in the documented shape: the spec's schema for the
 *      operation and status where that status is documented, `{code, key, message}` otherwise;
 *   3. a rejected request changes nothing: the store's fingerprint (rows and
 *      counters) is the same before and after.
 * Bounded: a fixed number of runs per property and a time limit, so it fits in
 * `npm test`. A failure prints fast-check's seed and the shrunk request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { WELL_KNOWN } from '../../mocks/generate-fixtures';
import { PAIR, type TestMock, specViolations, testMock } from '../support/test-mock';

/** Runs per property and the wall-time budget of each (the run stops early, as a success, when the budget is spent). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 15000);

/** Keys that a 400 may legitimately leave behind: the API records these failed attempts (and the customer) as FAILURE publications. */
const RECORDED_FAILURES = new Set(['voucher_already_published', 'voucher_cannot_be_published', 'no_voucher_suitable_for_publication']);

type Operation = 'createPublicationFromQuery' | 'listPublications' | 'createPublication';

const ENDPOINTS: ReadonlyArray<{ op: Operation; method: 'get' | 'post'; path: string }> = [
  { op: 'createPublicationFromQuery', method: 'get', path: '/v1/publications/create' },
  { op: 'listPublications', method: 'get', path: '/v1/publications' },
  { op: 'createPublication', method: 'post', path: '/v1/publications' },
];

// ---------------------------------------------------------------- the store's fingerprint

let dir: string;
let mock: TestMock;
let reader: Database.Database;

/** Row counts, published vouchers, customer updates and every id counter: a rejected request must leave all of them as they were. */
function fingerprint(): string {
  const row = reader
    .prepare(
      `SELECT (SELECT count(*) FROM publications) AS publications,
              (SELECT count(*) FROM publication_vouchers) AS links,
              (SELECT count(*) FROM customers) AS customers,
              (SELECT count(*) FROM customers WHERE updated_at IS NOT NULL) AS updated_customers,
              (SELECT count(*) FROM vouchers) AS vouchers,
              (SELECT count(*) FROM vouchers WHERE holder_id IS NOT NULL) AS held,
              (SELECT coalesce(sum(publish_count), 0) FROM vouchers) AS publish_counts,
              (SELECT coalesce(group_concat(name || '=' || value, ','), '') FROM (SELECT name, value FROM sequences ORDER BY name)) AS sequences`,
    )
    .get();
  return JSON.stringify(row);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'publications-fuzz-'));
  const data = join(dir, 'fuzz.db');
  mock = testMock({ data });
  // A second, read-only connection: WAL lets it see every committed change.
  reader = new Database(data, { readonly: true, fileMustExist: true });
});

afterAll(() => {
  reader.close();
  mock.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- what every answer must be

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  text: string;
}

function checkAnswer(op: Operation | undefined, res: Answer, before: string, what: string): void {
  const context = `${what}\n→ ${res.status} ${res.text.slice(0, 500)}`;
  if (res.status >= 500) throw new Error(`a 5xx answer: ${context}`);
  if (!/^application\/json/.test(res.headers['content-type'] ?? '')) throw new Error(`not a JSON answer: ${context}`);
  const documented = op !== undefined && specViolationsOrUndocumented(op, res);
  if (documented !== false && documented.length > 0) throw new Error(`the body breaks the spec (${documented.join('; ')}): ${context}`);
  if (res.status < 400) return;
  const body = res.body as { code?: unknown; key?: unknown; message?: unknown };
  if (body.code !== res.status || typeof body.key !== 'string' || typeof body.message !== 'string') {
    throw new Error(`not a {code, key, message} error: ${context}`);
  }
  if (!RECORDED_FAILURES.has(body.key) && fingerprint() !== before) {
    throw new Error(`a rejected request (${body.key}) changed the store: ${before} → ${fingerprint()}; ${context}`);
  }
}

/** The spec's verdict when it documents this status for the operation; false when it does not. */
function specViolationsOrUndocumented(op: Operation, res: Answer): string[] | false {
  const violations = specViolations(op, res);
  return violations.length === 1 && violations[0]!.startsWith('status ') && violations[0]!.includes('is not documented') ? false : violations;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

async function send(method: Method, url: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const api = mock.api;
  const start = { get: () => api.get(url), post: () => api.post(url), put: () => api.put(url), patch: () => api.patch(url), delete: () => api.delete(url) }[method];
  let req = start().set(headers);
  // Sent as raw text, never re-serialised by the client: malformed JSON stays malformed.
  if (body !== undefined) req = req.send(body);
  const res = await req.ok(() => true);
  return { status: res.status, headers: res.headers as Record<string, string>, body: res.body, text: res.text };
}

// ---------------------------------------------------------------- generators

/** Text already URL-encoded: arbitrary unicode percent-encoded, or raw junk that only looks encoded. */
const encodedText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 8 }).map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, ''))),
  fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((s) => s.replace(/[#\s%&=]/g, '')),
  // Broken escapes, overlong and lone-surrogate UTF-8, NUL, double encoding, plus-as-space.
  fc.constantFrom('%', '%z', '%zz', '%%', '%E0%A4%A', '%00', '%C0%AF', '%ED%A0%80', '%FF%FE', '%2525', '%252F', '+', 'a+b', '%F0%9F%98%80', '%EF%BB%BF'),
  fc.uint8Array({ maxLength: 6 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
);

/** Numbers no client should send, and the values the API does know. */
const oddValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '', 'true', 'false', 'TRUE', '1', '0', '-0', '-1', 'null', 'undefined', 'NaN', 'Infinity', '-Infinity',
    '1e400', '-1e400', '1e-400', '1e308', '9'.repeat(400), '0x1F', '1_000', '%201%20', '9007199254740993', '20', '21', '1000', '1001',
    'SUCCESS', 'FAILURE', 'discount', '-created_at', 'created_at', 'id', '$in', '$is', 'and', 'or',
    encodeURIComponent(WELL_KNOWN.exampleCampaignName), encodeURIComponent(WELL_KNOWN.autoUpdateCampaignName), encodeURIComponent(WELL_KNOWN.fixedCampaignName),
    WELL_KNOWN.standaloneCode, WELL_KNOWN.inactiveCode, WELL_KNOWN.alreadyPublishedCode, WELL_KNOWN.exampleCustomerId, WELL_KNOWN.exampleCustomerSourceId,
  ),
  fc.double().map(String),
  fc.bigInt().map(String),
  encodedText,
);

const PARAMETER_NAMES = [
  'customer', 'campaign', 'voucher', 'join_once', 'metadata', 'source_id', 'limit', 'page', 'order', 'result', 'voucher_type',
  'is_referral_code', 'filters', 'junction',
];
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'];
const FIELD_NAMES = ['source_id', 'id', 'name', 'email', 'count', 'conditions', '$in', '$is', '$not_in', '$has_value', 'year', '0', '1', '-1', '999999', ''];

const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FIELD_NAMES, ...PARAMETER_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 1, arbitrary: encodedText },
);

/** `[a][b]…`, well-formed or not: unclosed, doubled, empty, encoded brackets, deeper than the parser's limit. */
const brackets: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(segment, { maxLength: 4 }).map((parts) => parts.map((p) => `[${p}]`).join('')) },
  { weight: 1, arbitrary: fc.array(segment, { minLength: 6, maxLength: 40 }).map((parts) => parts.map((p) => `[${p}]`).join('')) },
  { weight: 2, arbitrary: fc.array(fc.oneof(segment, fc.constantFrom('[', ']', '[[', ']]', '[]', '%5B', '%5D', '.')), { maxLength: 6 }).map((parts) => parts.join('')) },
);

const queryKey: fc.Arbitrary<string> = fc
  .tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PARAMETER_NAMES) }, { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) }, { weight: 1, arbitrary: encodedText }), brackets)
  .map(([name, tail]) => `${name}${tail}`);

/** The API's own parameters, well-formed, so the odd values reach the rules (404s, duplicates, metadata types, limits). */
const knownKey: fc.Arbitrary<string> = fc.constantFrom(
  'voucher', 'source_id', 'campaign', 'campaign[name]', 'campaign[count]', 'customer[id]', 'customer[source_id]', 'customer[name]', 'customer[metadata][x]',
  'metadata[year]', 'metadata[flag]', 'metadata[tags][0]', 'join_once', 'limit', 'page', 'order', 'result', 'customer', 'voucher_type', 'is_referral_code',
  'filters[junction]', 'filters[customer_id][conditions][$in][0]', 'filters[voucher_code][conditions][$starts_with]', 'filters[channel][conditions][$has_value]',
);

const pair: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(knownKey, oddValue).map(([k, v]) => `${k}=${v}`) },
  { weight: 5, arbitrary: fc.tuple(queryKey, oddValue).map(([k, v]) => `${k}=${v}`) },
  { weight: 1, arbitrary: queryKey },
  { weight: 1, arbitrary: oddValue.map((v) => `=${v}`) },
);

/** A plausible request to build on, so the junk meets the rules and not only the first validation error. */
const plausible: fc.Arbitrary<string[]> = fc.constantFrom(
  ['customer[source_id]=fuzz-1', `campaign[name]=${encodeURIComponent(WELL_KNOWN.exampleCampaignName)}`],
  ['customer[source_id]=fuzz-2', `voucher=${WELL_KNOWN.standaloneCode}`],
  [`customer[id]=${WELL_KNOWN.exampleCustomerId}`, `campaign=${encodeURIComponent(WELL_KNOWN.fixedCampaignName)}`],
  ['limit=5', 'order=-created_at'],
  [],
);

const queryString: fc.Arbitrary<string> = fc
  .tuple(plausible, fc.oneof(fc.array(pair, { maxLength: 2 }), fc.array(pair, { maxLength: 8 })), fc.constantFrom('&', '&', '&', '&&', ';'))
  .chain(([base, extra, separator]) => {
    const all = [...base, ...extra];
    // Mostly every pair in some order; sometimes a random part of them (a required one missing).
    return fc.oneof({ weight: 3, arbitrary: fc.shuffledSubarray(all, { minLength: all.length }) }, { weight: 1, arbitrary: fc.shuffledSubarray(all) }).map((pairs) => pairs.join(separator));
  });

const credentials: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(PAIR) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.constant({ Authorization: 'Bearer fuzz' }) },
  { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>({ 'X-App-Id': 'a' }, { Authorization: 'Basic YTpi' }, { 'X-App-Id': ' ', 'X-App-Token': ' ' }) },
);

/** A JSON value nested `depth` deep, as text (arrays or objects). */
function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** `<nested array 5000>` in a generated body stands for a value nested that deep, so a failure report stays readable. */
function expandNesting(text: string): string {
  return text.replace(/<nested (array|object) (\d+)>/g, (_all, kind: 'array' | 'object', depth: string) => nested(Number(depth), kind));
}

const anyJson = fc.jsonValue({ maxDepth: 3 });

const bodyText: fc.Arbitrary<string> = fc.oneof(
  // Any JSON value at all, at the top: null, numbers, strings, arrays.
  { weight: 3, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
  // The request's own fields, each of any type or of the right one, any of them missing.
  {
    weight: 6,
    arbitrary: fc
      .record(
        {
          customer: fc.oneof(anyJson, fc.record({ source_id: fc.oneof(fc.string(), anyJson), id: fc.oneof(fc.constant(WELL_KNOWN.exampleCustomerId), fc.string()), metadata: anyJson, email: anyJson }, { requiredKeys: [] })),
          campaign: fc.oneof(anyJson, fc.constantFrom(WELL_KNOWN.autoUpdateCampaignName, WELL_KNOWN.fixedCampaignName), fc.record({ name: fc.oneof(fc.constant(WELL_KNOWN.percentCampaignName), anyJson), count: fc.oneof(fc.integer({ min: -5, max: 30 }), anyJson) }, { requiredKeys: [] })),
          voucher: fc.oneof(anyJson, fc.constantFrom(WELL_KNOWN.standaloneCode, WELL_KNOWN.inactiveCode, WELL_KNOWN.alreadyPublishedCode)),
          metadata: anyJson,
          source_id: fc.oneof(fc.string(), anyJson),
          channel: anyJson,
          unknown_field: anyJson,
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
  },
  // Prototype keys, huge and tiny numbers, deep nesting: written as text so they reach the server as sent.
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      `{"__proto__":{"polluted":true},"customer":{"source_id":"proto-1"},"campaign":"${WELL_KNOWN.autoUpdateCampaignName}"}`,
      `{"customer":{"source_id":"proto-2","metadata":{"__proto__":{"polluted":true}}},"voucher":"${WELL_KNOWN.standaloneCode}"}`,
      `{"constructor":{"prototype":{"polluted":true}},"customer":{"source_id":"proto-3"},"campaign":"${WELL_KNOWN.autoUpdateCampaignName}"}`,
      '{"customer":{"source_id":"n1"},"campaign":{"name":"x","count":1e400}}',
      '{"customer":{"source_id":"n2"},"campaign":{"name":"x","count":-0}}',
      '{"customer":{"source_id":"n3"},"campaign":{"name":"x","count":1e-400}}',
      `{"customer":{"source_id":"n4"},"campaign":{"name":"${WELL_KNOWN.percentCampaignName}","count":${'9'.repeat(400)}}}`,
      `{"customer":{"source_id":"deep-1"},"campaign":"${WELL_KNOWN.autoUpdateCampaignName}","metadata":{"a":<nested array 5000>}}`,
      `{"customer":{"source_id":"deep-2","metadata":{"a":<nested object 5000>}},"campaign":"${WELL_KNOWN.autoUpdateCampaignName}"}`,
      `{"customer":{"source_id":"deep-3"},"campaign":"${WELL_KNOWN.autoUpdateCampaignName}","metadata":{"a":<nested object 62>}}`,
      '<nested array 100000>',
      '\uFEFF{"customer":{"source_id":"bom"},"campaign":"x"}',
      '{"customer":{"source_id":"dup"},"customer":{"id":"nobody"},"voucher":"X"}',
    ),
  },
  // Not JSON at all, or cut short.
  { weight: 2, arbitrary: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), anyJson.map((v) => JSON.stringify(v)).map((t) => t.slice(0, Math.max(0, t.length - 1)))) },
);

const contentType: fc.Arbitrary<string> = fc.constantFrom(
  'application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'application/vnd.api+json',
  'APPLICATION/JSON', 'application/json; charset=latin1', 'application/json; charset=klingon', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream',
);

// ---------------------------------------------------------------- the properties

const options = { numRuns: RUNS, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)] };

describe('fuzzed requests: never a 5xx, always a documented JSON error, a rejection changes nothing', () => {
  it('query strings on every operation: nested and malformed brackets, odd encodings, huge numbers, unicode, prototype keys', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), queryString, credentials, async (endpoint, query, headers) => {
        const before = fingerprint();
        const url = `${endpoint.path}?${query}`;
        const body = endpoint.method === 'post' ? JSON.stringify({ customer: { source_id: 'fuzz-q' }, campaign: WELL_KNOWN.autoUpdateCampaignName }) : undefined;
        const res = await send(endpoint.method, url, { ...headers, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body);
        checkAnswer(endpoint.op, res, before, `${endpoint.method.toUpperCase()} ${url}`);
      }),
      options,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('POST /v1/publications bodies of every wrong type, content types and encodings', async () => {
    await fc.assert(
      fc.asyncProperty(bodyText, contentType, credentials, fc.constantFrom('', '?join_once=true', '?join_once=maybe', '?join_once[]=1'), async (text, type, headers, query) => {
        const before = fingerprint();
        const res = await send('post', `/v1/publications${query}`, { ...headers, 'Content-Type': type }, expandNesting(text));
        checkAnswer('createPublication', res, before, `POST /v1/publications${query} (${type}) ${text.slice(0, 300)}`);
      }),
      {
        ...options,
        // Always tried, whatever the seed: the cases that once gave a 500 (a stack overflow on deep nesting).
        examples: [
          [`{"customer":{"source_id":"deep-1"},"campaign":"${WELL_KNOWN.autoUpdateCampaignName}","metadata":{"a":<nested array 5000>}}`, 'application/json', PAIR, ''],
          ['<nested array 100000>', 'application/json', PAIR, ''],
        ],
      },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('paths and methods outside the API answer JSON 404/405, never a 5xx', async () => {
    const pathSegment = fc.oneof(fc.constantFrom('v1', 'publications', 'create', '..', '.', '', '%2e%2e', '__mock', '%00', 'v1%2Fpublications'), encodedText);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Method>('get', 'post', 'put', 'patch', 'delete'), fc.array(pathSegment, { maxLength: 5 }), async (method, segments) => {
        const path = `/${segments.join('/')}`;
        // The QA hooks answer on their own terms; the API's three routes are covered above.
        fc.pre(!path.startsWith('/__mock') && !/^\/v1\/publications(\/create)?\/?$/.test(path));
        const before = fingerprint();
        const res = await send(method, path, PAIR);
        checkAnswer(undefined, res, before, `${method.toUpperCase()} ${path}`);
      }),
      { ...options, numRuns: 100 },
    );
  });
});
