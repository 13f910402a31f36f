/**
 * Every JSON endpoint of /__mock/ (PUT /__mock/state, POST /__mock/scenarios)
 * names a missing or wrong Content-Type as the cause, instead of complaining
 * about a body it never read ("Snapshot should be object"); nothing changes.
 * The bodies are valid JSON: only the header is wrong. Sent with fetch to a
 * real port, so "no Content-Type at all" is what goes over the wire.
 */
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { type RunningMock, startMock } from '../../src/app/server';
import { PAIR } from './support/qa-mock';

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ port: 0 });
});
afterAll(() => mock.close());

const SCENARIO = JSON.stringify({ method: 'POST', path: '/v1/publications', fault: { type: 'server_error' } });

async function snapshotText(): Promise<string> {
  return (await fetch(`${mock.url}/__mock/state`)).text();
}

const ENDPOINTS: Array<[string, string, string, () => Promise<string>]> = [
  ['PUT /__mock/state', 'PUT', 'invalid_snapshot', snapshotText],
  ['POST /__mock/scenarios', 'POST', 'invalid_scenario', async () => SCENARIO],
];

const SENT: Array<[string, Record<string, string>, RegExp]> = [
  ['no Content-Type', {}, /this request has no Content-Type/],
  ['text/plain', { 'Content-Type': 'text/plain' }, /this request's Content-Type is text\/plain/],
  [
    "curl -d's default (form-urlencoded)",
    { 'Content-Type': 'application/x-www-form-urlencoded' },
    /application\/x-www-form-urlencoded \(what curl -d sends unless given -H 'Content-Type: application\/json'\)/,
  ],
];

const CASES = ENDPOINTS.flatMap(([name, method, key, body]) =>
  SENT.map(([sent, headers, cause]) => [name, sent, method, key, body, headers, cause] as const),
);

it.each(CASES)(
  '%s with %s → 400 naming Content-Type: application/json and what was sent; nothing changes',
  async (name, _sent, method, key, body, headers, cause) => {
    await fetch(`${mock.url}/v1/publications`, {
      method: 'POST',
      headers: { ...PAIR, 'Content-Type': 'application/json' },
      body: JSON.stringify({ customer: { source_id: 'kept' }, campaign: WELL_KNOWN.autoUpdateCampaignName }),
    });
    const before = await snapshotText();
    const path = name.split(' ')[1]!;
    const res = await fetch(`${mock.url}${path}`, { method, headers, body: new TextEncoder().encode(await body()) });
    const answer = (await res.json()) as { code: number; key: string; details: string };
    expect(res.status).toBe(400);
    expect(answer).toMatchObject({ code: 400, key });
    expect(answer.details).toContain('must be sent as JSON, with Content-Type: application/json');
    expect(answer.details).toMatch(cause);
    expect(JSON.parse(await snapshotText()).state).toEqual(JSON.parse(before).state);
    expect(
      ((await (await fetch(`${mock.url}/__mock/scenarios`)).json()) as { scenarios: unknown[] }).scenarios,
    ).toEqual([]);
  },
);

it.each(ENDPOINTS)(
  '%s with Content-Type: application/json and the same body is accepted',
  async (name, method, _key, body) => {
    const path = name.split(' ')[1]!;
    const res = await fetch(`${mock.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: await body(),
    });
    expect(res.status).toBeLessThan(300);
    await fetch(`${mock.url}/__mock/scenarios`, { method: 'DELETE' });
  },
);
