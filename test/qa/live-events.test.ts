/**
 * GET /__mock/events: Server-Sent Events the dashboard listens to, so it
 * updates while requests come in: `request` when a request is journaled (the
 * entry, masked), `state` on reset and restore, `scenarios` when the queue
 * changes. Against a real server on 127.0.0.1, stopped after each test.
 */
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { type RunningMock, startMock } from '../../src/app/server';
import { PAIR } from './support/qa-mock';

interface ServerEvent {
  type: string;
  data: unknown;
}

/** Reads the event stream in the background; `next(type)` waits for the next event of that type. */
function listen(url: string, signal: AbortSignal) {
  const events: ServerEvent[] = [];
  const waiting: Array<() => void> = [];
  let contentType = '';
  const done = (async () => {
    const res = await fetch(url, { signal, headers: { Accept: 'text/event-stream' } });
    contentType = res.headers.get('content-type') ?? '';
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) {
          events.push({ type, data: JSON.parse(data) as unknown });
          waiting.splice(0).forEach((wake) => wake());
        }
      }
    }
  })().catch(() => undefined);
  let read = 0;
  return {
    contentType: () => contentType,
    done,
    async next(type: string, timeoutMs = 5000): Promise<unknown> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (read < events.length) {
          const event = events[read++]!;
          if (event.type === type) return event.data;
        }
        if (Date.now() > deadline) throw new Error(`no ${type} event; got ${events.map((e) => e.type).join(', ')}`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
  };
}

let mock: RunningMock;
let abort: AbortController;
beforeEach(async () => {
  mock = await startMock({ port: 0, now: '2026-11-26T12:00:00.000Z' });
  abort = new AbortController();
});
afterEach(async () => {
  abort.abort();
  await mock.close();
});

it(
  'an SSE stream: hello first, then a request event per API request with ' + 'the journal entry (credentials masked)',
  async () => {
    const stream = listen(`${mock.url}/__mock/events`, abort.signal);
    expect(await stream.next('hello')).toEqual({ seed: 1 });
    expect(stream.contentType()).toMatch(/^text\/event-stream/);
    const res = await fetch(`${mock.url}/v1/publications`, {
      method: 'POST',
      headers: { ...PAIR, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        customer: { source_id: 'live-1' },
        campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
      }),
    });
    const created = (await res.json()) as { voucher: { code: string } };
    const entry = (await stream.next('request')) as Record<string, unknown>;
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/v1/publications',
      status: 200,
      customer: { source_id: 'live-1' },
      voucher_codes: [created.voucher.code],
    });
    expect((entry.headers as Record<string, string>)['x-app-token']).toBe('***');
  },
);

it('state events on reset and restore; scenarios events when the queue changes or a scenario is used', async () => {
  const stream = listen(`${mock.url}/__mock/events`, abort.signal);
  await stream.next('hello');
  await fetch(`${mock.url}/__mock/reset`, { method: 'POST' });
  expect(await stream.next('state')).toEqual({ reason: 'reset' });

  const snapshot = await (await fetch(`${mock.url}/__mock/state`)).text();
  await fetch(`${mock.url}/__mock/state`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: snapshot,
  });
  expect(await stream.next('state')).toEqual({ reason: 'restore' });

  await fetch(`${mock.url}/__mock/scenarios`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ method: 'GET', path: '/v1/publications', times: 2, fault: { type: 'server_error' } }),
  });
  expect(await stream.next('scenarios')).toMatchObject([{ id: 'scn_1', remaining: 2 }]);
  await fetch(`${mock.url}/v1/publications`, { headers: PAIR });
  expect(await stream.next('scenarios')).toMatchObject([{ id: 'scn_1', remaining: 1 }]);
});

it('a closed stream unsubscribes: nobody is listening any more, and requests go on', async () => {
  const qa = mock.app.qa;
  const stream = listen(`${mock.url}/__mock/events`, abort.signal);
  await stream.next('hello');
  expect(qa.events.listening).toBe(true);
  abort.abort();
  await stream.done;
  for (let i = 0; i < 50 && qa.events.listening; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(qa.events.listening).toBe(false);
  const res = await fetch(`${mock.url}/v1/publications`, { headers: PAIR });
  expect(res.status).toBe(200);
});
