/**
 * Generators of requests no client should send, shared by the fuzzing tests:
 * query strings with nested and malformed brackets, odd and broken
 * percent-encodings, huge numbers, unicode and prototype keys; JSON bodies of
 * every wrong type; content types; credentials. `<nested array 5000>` in a body
 * stands for a value nested that deep (see `expandNesting`), so a failure
 * report stays readable.
 */
import fc from 'fast-check';
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { PAIR } from '../support/test-mock';

/** Text already URL-encoded: arbitrary unicode percent-encoded, or raw junk that only looks encoded. */
export const encodedText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 8 }).map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, ''))),
  fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((s) => s.replace(/[#\s%&=]/g, '')),
  // Broken escapes, overlong and lone-surrogate UTF-8, NUL, double encoding, plus-as-space.
  fc.constantFrom(
    '%',
    '%z',
    '%zz',
    '%%',
    '%E0%A4%A',
    '%00',
    '%C0%AF',
    '%ED%A0%80',
    '%FF%FE',
    '%2525',
    '%252F',
    '+',
    'a+b',
    '%F0%9F%98%80',
    '%EF%BB%BF',
  ),
  fc.uint8Array({ maxLength: 6 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
);

/** Numbers no client should send, and the values the API does know. */
export const oddValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    'true',
    'false',
    'TRUE',
    '1',
    '0',
    '-0',
    '-1',
    'null',
    'undefined',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e400',
    '-1e400',
    '1e-400',
    '1e308',
    '9'.repeat(400),
    '0x1F',
    '1_000',
    '%201%20',
    '9007199254740993',
    '20',
    '21',
    '1000',
    '1001',
    'SUCCESS',
    'FAILURE',
    'discount',
    '-created_at',
    'created_at',
    'id',
    '$in',
    '$is',
    'and',
    'or',
    encodeURIComponent(WELL_KNOWN.exampleCampaignName),
    encodeURIComponent(WELL_KNOWN.autoUpdateCampaignName),
    encodeURIComponent(WELL_KNOWN.fixedCampaignName),
    WELL_KNOWN.standaloneCode,
    WELL_KNOWN.inactiveCode,
    WELL_KNOWN.alreadyPublishedCode,
    WELL_KNOWN.exampleCustomerId,
    WELL_KNOWN.exampleCustomerSourceId,
  ),
  fc.double().map(String),
  fc.bigInt().map(String),
  encodedText,
);

const PARAMETER_NAMES = [
  'customer',
  'campaign',
  'voucher',
  'join_once',
  'metadata',
  'source_id',
  'limit',
  'page',
  'order',
  'result',
  'voucher_type',
  'is_referral_code',
  'filters',
  'junction',
];
const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
];
const FIELD_NAMES = [
  'source_id',
  'id',
  'name',
  'email',
  'count',
  'conditions',
  '$in',
  '$is',
  '$not_in',
  '$has_value',
  'year',
  '0',
  '1',
  '-1',
  '999999',
  '',
];

const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FIELD_NAMES, ...PARAMETER_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 1, arbitrary: encodedText },
);

/** `[a][b]…`, well-formed or not: unclosed, doubled, empty, encoded brackets, deeper than the parser's limit. */
const brackets: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(segment, { maxLength: 4 }).map((parts) => parts.map((p) => `[${p}]`).join('')) },
  {
    weight: 1,
    arbitrary: fc.array(segment, { minLength: 6, maxLength: 40 }).map((parts) => parts.map((p) => `[${p}]`).join('')),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(segment, fc.constantFrom('[', ']', '[[', ']]', '[]', '%5B', '%5D', '.')), { maxLength: 6 })
      .map((parts) => parts.join('')),
  },
);

const queryKey: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...PARAMETER_NAMES) },
      { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
      { weight: 1, arbitrary: encodedText },
    ),
    brackets,
  )
  .map(([name, tail]) => `${name}${tail}`);

/**
 * The API's own parameters, well-formed, so the odd values reach the rules (404s, duplicates, metadata types, limits).
 */
const knownKey: fc.Arbitrary<string> = fc.constantFrom(
  'voucher',
  'source_id',
  'campaign',
  'campaign[name]',
  'campaign[count]',
  'customer[id]',
  'customer[source_id]',
  'customer[name]',
  'customer[metadata][x]',
  'metadata[year]',
  'metadata[flag]',
  'metadata[tags][0]',
  'join_once',
  'limit',
  'page',
  'order',
  'result',
  'customer',
  'voucher_type',
  'is_referral_code',
  'filters[junction]',
  'filters[customer_id][conditions][$in][0]',
  'filters[voucher_code][conditions][$starts_with]',
  'filters[channel][conditions][$has_value]',
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

export const queryString: fc.Arbitrary<string> = fc
  .tuple(
    plausible,
    fc.oneof(fc.array(pair, { maxLength: 2 }), fc.array(pair, { maxLength: 8 })),
    fc.constantFrom('&', '&', '&', '&&', ';'),
  )
  .chain(([base, extra, separator]) => {
    const all = [...base, ...extra];
    // Mostly every pair in some order; sometimes a random part of them (a required one missing).
    return fc
      .oneof(
        { weight: 3, arbitrary: fc.shuffledSubarray(all, { minLength: all.length }) },
        { weight: 1, arbitrary: fc.shuffledSubarray(all) },
      )
      .map((pairs) => pairs.join(separator));
  });

export const credentials: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(PAIR) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.constant({ Authorization: 'Bearer fuzz' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>(
      { 'X-App-Id': 'a' },
      { Authorization: 'Basic YTpi' },
      { 'X-App-Id': ' ', 'X-App-Token': ' ' },
    ),
  },
);

/** A JSON value nested `depth` deep, as text (arrays or objects). */
function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/**
 * `<nested array 5000>` in a generated body stands for a value nested that deep, so a failure report stays readable.
 */
export function expandNesting(text: string): string {
  return text.replace(/<nested (array|object) (\d+)>/g, (_all, kind: 'array' | 'object', depth: string) =>
    nested(Number(depth), kind),
  );
}

const anyJson = fc.jsonValue({ maxDepth: 3 });

export const bodyText: fc.Arbitrary<string> = fc.oneof(
  // Any JSON value at all, at the top: null, numbers, strings, arrays.
  { weight: 3, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
  // The request's own fields, each of any type or of the right one, any of them missing.
  {
    weight: 6,
    arbitrary: fc
      .record(
        {
          customer: fc.oneof(
            anyJson,
            fc.record(
              {
                source_id: fc.oneof(fc.string(), anyJson),
                id: fc.oneof(fc.constant(WELL_KNOWN.exampleCustomerId), fc.string()),
                metadata: anyJson,
                email: anyJson,
              },
              { requiredKeys: [] },
            ),
          ),
          campaign: fc.oneof(
            anyJson,
            fc.constantFrom(WELL_KNOWN.autoUpdateCampaignName, WELL_KNOWN.fixedCampaignName),
            fc.record(
              {
                name: fc.oneof(fc.constant(WELL_KNOWN.percentCampaignName), anyJson),
                count: fc.oneof(fc.integer({ min: -5, max: 30 }), anyJson),
              },
              { requiredKeys: [] },
            ),
          ),
          voucher: fc.oneof(
            anyJson,
            fc.constantFrom(WELL_KNOWN.standaloneCode, WELL_KNOWN.inactiveCode, WELL_KNOWN.alreadyPublishedCode),
          ),
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
      '{"__proto__":{"polluted":true},"customer":{"source_id":"proto-1"},' +
        `"campaign":"${WELL_KNOWN.autoUpdateCampaignName}"}`,
      '{"customer":{"source_id":"proto-2","metadata":{"__proto__":{"polluted":true}}},' +
        `"voucher":"${WELL_KNOWN.standaloneCode}"}`,
      '{"constructor":{"prototype":{"polluted":true}},"customer":{"source_id":"proto-3"},' +
        `"campaign":"${WELL_KNOWN.autoUpdateCampaignName}"}`,
      '{"customer":{"source_id":"n1"},"campaign":{"name":"x","count":1e400}}',
      '{"customer":{"source_id":"n2"},"campaign":{"name":"x","count":-0}}',
      '{"customer":{"source_id":"n3"},"campaign":{"name":"x","count":1e-400}}',
      `{"customer":{"source_id":"n4"},"campaign":{"name":"${WELL_KNOWN.percentCampaignName}",` +
        `"count":${'9'.repeat(400)}}}`,
      `{"customer":{"source_id":"deep-1"},"campaign":"${WELL_KNOWN.autoUpdateCampaignName}","metadata":{"a":<nested ` +
        `array 5000>}}`,
      `{"customer":{"source_id":"deep-2","metadata":{"a":<nested object ` +
        `5000>}},"campaign":"${WELL_KNOWN.autoUpdateCampaignName}"}`,
      `{"customer":{"source_id":"deep-3"},"campaign":"${WELL_KNOWN.autoUpdateCampaignName}","metadata":{"a":<nested ` +
        `object 62>}}`,
      '<nested array 100000>',
      '\uFEFF{"customer":{"source_id":"bom"},"campaign":"x"}',
      '{"customer":{"source_id":"dup"},"customer":{"id":"nobody"},"voucher":"X"}',
    ),
  },
  // Not JSON at all, or cut short.
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      anyJson.map((v) => JSON.stringify(v)).map((t) => t.slice(0, Math.max(0, t.length - 1))),
    ),
  },
);

export const contentType: fc.Arbitrary<string> = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/vnd.api+json',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'application/json; charset=klingon',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
);
