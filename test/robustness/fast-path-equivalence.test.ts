/**
 * The fast path (publicationFastPath, in front of Express) must answer exactly
 * as the Express app does. Two worlds from the same seed and frozen clock get
 * the same generated requests in the same order, one through the app alone,
 * one through the fast path first; every answer must match: status, headers
 * (but Date and connection management) and body, byte for byte. Requests the
 * fast path leaves to the app (other methods and paths, Prefer, conditional
 * headers) are in the mix too, so the hand-over is covered.
 *
 * The middleware given to the fast path is built here the way create-app.ts
 * builds its own; any difference from the app's shows up as a failed
 * comparison, so this cannot drift from the app unnoticed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import express from 'express';
import fc from 'fast-check';
import qs from 'qs';
import request from 'supertest';
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { ApiError } from '../../src/domain/api-error';
import { BODY_LIMIT_BYTES, QUERY_LIMIT_BYTES, createApp } from '../../src/app/create-app';
import { type NodeMiddleware, publicationFastPath } from '../../src/api/publication-routes';
import { ResponseWriter } from '../../src/api/response-writer';
import { createMockState } from '../../src/app/server';
import type { MockState } from '../../src/app/mock-state';
import { PAIR, TEST_NOW } from '../support/test-mock';
import { bodyText, contentType, credentials, expandNesting, queryString } from './fuzz-requests';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 15000);
/** Headers that say when or over which connection, not what was answered. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive']);

function parseQuery(text: string): Record<string, unknown> {
  return qs.parse(text, { depth: 5, arrayLimit: 100, parameterLimit: 1000, allowPrototypes: false, strictDepth: false });
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new ApiError('query_too_large', `The request body exceeds the limit of ${BODY_LIMIT_BYTES} bytes`);
  if (type === 'entity.parse.failed') return new ApiError('invalid_payload', `Malformed JSON: ${(error as Error).message}`);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new ApiError('invalid_payload', (error as Error).message);
  if (type === 'entity.verify.failed' || type === 'request.size.invalid') return new ApiError('invalid_payload', (error as Error).message);
  return new ApiError('internal_error', error instanceof Error ? error.message : String(error));
}

const limitQueryString: NodeMiddleware = (req, _res, next) => {
  const url = (req as IncomingMessage & { originalUrl: string }).originalUrl;
  const at = url.indexOf('?');
  if (at >= 0 && url.length - at - 1 > QUERY_LIMIT_BYTES) next(new ApiError('query_too_large', `The query string exceeds the limit of ${QUERY_LIMIT_BYTES} bytes`));
  else next();
};

function world(): MockState {
  // One run key for both: their request ids must match byte for byte too.
  const state = createMockState({ seed: 4, now: TEST_NOW, runId: 'equivalence' });
  state.initialize();
  return state;
}

let appWorld: MockState;
let fastWorld: MockState;
let viaApp: ReturnType<typeof request.agent>;
let viaFastPath: ReturnType<typeof request.agent>;
let taken = 0;
let total = 0;

beforeAll(() => {
  appWorld = world();
  fastWorld = world();
  viaApp = request.agent(createApp({ state: appWorld, strict: true, publicUrl: 'http://mock.test' }));
  const app = createApp({ state: fastWorld, strict: true, publicUrl: 'http://mock.test' });
  const fast = publicationFastPath({
    state: fastWorld,
    writer: new ResponseWriter(true, () => fastWorld.ids.requestId()),
    publicUrl: 'http://mock.test',
    before: [
      cors({ origin: true, exposedHeaders: ['Retry-After', 'Preference-Applied'] }) as NodeMiddleware,
      limitQueryString,
      express.json({ limit: BODY_LIMIT_BYTES, strict: false, type: ['application/json', 'application/*+json'] }) as NodeMiddleware,
    ],
    parseQuery,
    toApiError,
    // Forced answers are the app's (inject-faults); this test queues no scenario.
    leaveToApp: (req) => req.headers.prefer !== undefined,
  });
  viaFastPath = request.agent((req: IncomingMessage, res: ServerResponse) => {
    total++;
    if (fast(req, res)) taken++;
    else app(req, res);
  });
});

afterAll(() => {
  appWorld.store.close();
  fastWorld.store.close();
});

interface Sent {
  method: 'get' | 'post' | 'delete';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

async function send(agent: ReturnType<typeof request.agent>, r: Sent) {
  let req = (r.method === 'get' ? agent.get(r.url) : r.method === 'post' ? agent.post(r.url) : agent.delete(r.url)).set(r.headers);
  if (r.body !== undefined) req = req.send(r.body);
  const res = await req.ok(() => true);
  const headers = Object.fromEntries(Object.entries(res.headers as Record<string, string>).filter(([name]) => !TRANSPORT_HEADERS.has(name)).sort());
  return { status: res.status, headers, text: res.text };
}

const paths = fc.constantFrom(
  { method: 'get' as const, path: '/v1/publications/create' },
  { method: 'get' as const, path: '/v1/publications' },
  { method: 'post' as const, path: '/v1/publications' },
  { method: 'post' as const, path: '/client/v1/publish' },
  { method: 'get' as const, path: `/v1/vouchers/${WELL_KNOWN.exampleVoucherCode}` },
  { method: 'get' as const, path: `/v1/vouchers/${WELL_KNOWN.exampleVoucherCode}/` },
  { method: 'get' as const, path: '/v1/vouchers/%E0%A4%A' },
  { method: 'get' as const, path: `/v1/customers/${WELL_KNOWN.exampleCustomerSourceId}` },
  { method: 'get' as const, path: '/v1/customers/no%20such%20customer' },
  // Left to the app: a trailing slash, upper case, another method.
  { method: 'get' as const, path: '/v1/publications/' },
  { method: 'get' as const, path: '/V1/Publications/Create' },
  { method: 'delete' as const, path: '/v1/publications' },
  { method: 'post' as const, path: `/v1/vouchers/${WELL_KNOWN.exampleVoucherCode}` },
  { method: 'get' as const, path: `/v1/vouchers/${WELL_KNOWN.exampleVoucherCode}/publications` },
);

const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    Origin: fc.constantFrom('http://localhost:5173', 'https://shop.example'),
    Prefer: fc.constantFrom('code=400', 'example=nothing'),
    'If-None-Match': fc.constant('*'),
    'X-Voucherify-Channel': fc.constant('bench'),
  },
  { requiredKeys: [] },
);

const validCreate = JSON.stringify({ customer: { source_id: 'same' }, campaign: WELL_KNOWN.autoUpdateCampaignName });

const sent: fc.Arbitrary<Sent> = fc.oneof(
  // Queries on every route (a plain JSON body on POST).
  fc.tuple(paths, queryString, credentials, fc.option(extraHeaders, { freq: 3 })).map(([{ method, path }, query, auth, extra]) => ({
    method,
    url: `${path}?${query}`,
    headers: { ...auth, ...(extra ?? {}), ...(method === 'post' ? { 'Content-Type': 'application/json' } : {}) },
    body: method === 'post' ? validCreate : undefined,
  })),
  // Bodies of every kind on POST.
  fc.tuple(bodyText, contentType, credentials, fc.option(extraHeaders, { freq: 3 })).map(([text, type, auth, extra]) => ({
    method: 'post' as const,
    url: '/v1/publications',
    headers: { ...auth, ...(extra ?? {}), 'Content-Type': type },
    body: expandNesting(text),
  })),
  // The benchmark's own requests, which must go the fast way and agree.
  fc.constantFrom<Sent>(
    { method: 'get', url: `/v1/publications/create?${qs.stringify({ customer: { source_id: 'steady' }, campaign: { name: WELL_KNOWN.exampleCampaignName }, join_once: true })}`, headers: PAIR },
    { method: 'post', url: '/v1/publications', headers: { ...PAIR, 'Content-Type': 'application/json' }, body: validCreate },
    { method: 'get', url: '/v1/publications?limit=5&order=-created_at', headers: PAIR },
    // The browser SDK's publish, with its client pair and the campaign in the query.
    {
      method: 'post',
      url: `/client/v1/publish?${qs.stringify({ campaign: WELL_KNOWN.autoUpdateCampaignName })}`,
      headers: { 'X-Client-Application-Id': 'fuzz-app', 'X-Client-Token': 'fuzz-secret', 'Content-Type': 'application/json' },
      body: JSON.stringify({ customer: { source_id: 'browser' }, channel: 'Voucherify.js' }),
    },
  ),
);

describe('the fast path answers as the Express app does', () => {
  it('the same generated requests, in the same order, get the same status, headers and body', async () => {
    await fc.assert(
      fc.asyncProperty(sent, async (r) => {
        const expected = await send(viaApp, r);
        const actual = await send(viaFastPath, r);
        expect(actual).toEqual(expected);
      }),
      { numRuns: RUNS, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)] },
    );
    // Most requests went the fast way: the comparison is not of the app with itself.
    expect(taken).toBeGreaterThan(total / 3);
  });
});
