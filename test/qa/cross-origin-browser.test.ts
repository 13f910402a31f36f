/**
 * A page on another origin, opened in the developer's browser, cannot drive
 * the mock's tools: headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core, as in dashboard.test.ts) loads a page served on another
 * port of 127.0.0.1, whose script tries to read the state, the journal and
 * the event stream, reset the mock, queue a scenario and restore a snapshot,
 * by fetch, by a form post and by EventSource. Before, every one of these
 * worked (CORS answered any origin). The API itself stays open to it (CORS
 * for browser apps), and so do voucher images. A second browser maps a name
 * to 127.0.0.1 (DNS rebinding): the mock's tools refuse that Host.
 */
import { existsSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { type RunningMock, startMock } from '../../src/app/server';
import { PAIR } from './support/qa-mock';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

jest.setTimeout(60_000);

let browser: Browser;
let mock: RunningMock;
let other: Server;
let otherUrl: string;
const log: string[] = [];

/** The other origin's page: each attempt records what the script could see. */
function attackPage(target: string, code: string): string {
  const script = `
    const target = ${JSON.stringify(target)};
    const results = {};
    const attempt = async (name, run) => {
      try { results[name] = await run(); } catch (error) { results[name] = 'blocked: ' + error.name; }
    };
    (async () => {
      await attempt('read state', async () => (await fetch(target + '/__mock/state')).text());
      await attempt('read journal', async () => (await fetch(target + '/__mock/requests')).text());
      await attempt('read overview', async () => (await fetch(target + '/__mock/overview')).text());
      await attempt('reset (no-cors)', async () =>
        (await fetch(target + '/__mock/reset', { method: 'POST', mode: 'no-cors' })).type);
      const scenario = JSON.stringify({ method: 'GET', path: '/v1/publications', fault: { type: 'server_error' } });
      await attempt('queue a scenario (JSON, preflighted)', async () =>
        (await fetch(target + '/__mock/scenarios', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: scenario,
        })).status);
      await attempt('queue a scenario (text/plain, no-cors)', async () =>
        (await fetch(target + '/__mock/scenarios', {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'Content-Type': 'text/plain' },
          body: scenario,
        })).type);
      await attempt('restore a snapshot (PUT, preflighted)', async () =>
        (await fetch(target + '/__mock/state', {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        })).status);
      await attempt('event stream', () => new Promise((resolve) => {
        const source = new EventSource(target + '/__mock/events');
        source.addEventListener('hello', (event) => { source.close(); resolve('read: ' + event.data); });
        source.onerror = () => { source.close(); resolve('blocked: error event'); };
      }));
      await attempt('the API, with credentials', async () =>
        (await fetch(target + '/v1/publications?limit=1', { headers: ${JSON.stringify(PAIR)} })).status);
      await attempt('a voucher image', () => new Promise((resolve) => {
        const img = new Image();
        img.onload = () => resolve('loaded ' + img.naturalWidth);
        img.onerror = () => resolve('blocked: error event');
        img.src = target + '/__mock/assets/qr/' + ${JSON.stringify(code)} + '.png';
      }));
      // A form post into a frame: no script can see its answer, but it would reach the mock.
      await attempt('reset (form post)', () => new Promise((resolve) => {
        const frame = document.createElement('iframe');
        frame.name = 'sink';
        frame.onload = () => resolve('posted');
        document.body.append(frame);
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = target + '/__mock/reset';
        form.target = 'sink';
        document.body.append(form);
        form.submit();
      }));
      window.results = results;
    })();`;
  return (
    `<!doctype html><html><head><title>another ` + `origin</title></head><body><script>${script}</script></body></html>`
  );
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No chromium at ${CHROMIUM}: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH`,
    );
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  log.length = 0;
  mock = await startMock({ port: 0, log: (line) => log.push(line) });
  other = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(attackPage(mock.url, WELL_KNOWN.exampleVoucherCode));
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', () => resolve()));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise<void>((resolve) => other.close(() => resolve()));
  await mock.close();
});

async function publish(sourceId: string): Promise<void> {
  const res = await fetch(`${mock.url}/v1/publications`, {
    method: 'POST',
    headers: { ...PAIR, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      customer: { source_id: sourceId, email: 'dana@example.com' },
      campaign: { name: WELL_KNOWN.autoUpdateCampaignName },
    }),
  });
  expect(res.status).toBe(200);
}

it(
  'a page on another port reads nothing of the tools and changes ' +
    'nothing; the API and voucher images stay open to it',
  async () => {
    await publish('victim');
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(otherUrl);
      await page.waitForFunction(() => (window as unknown as { results?: unknown }).results !== undefined, undefined, {
        timeout: 30_000,
      });
      const results = await page.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results);
      expect(results).toEqual({
        'read state': 'blocked: TypeError',
        'read journal': 'blocked: TypeError',
        'read overview': 'blocked: TypeError',
        'reset (no-cors)': 'opaque',
        'queue a scenario (JSON, preflighted)': 'blocked: TypeError',
        'queue a scenario (text/plain, no-cors)': 'opaque',
        'restore a snapshot (PUT, preflighted)': 'blocked: TypeError',
        'event stream': 'blocked: error event',
        'the API, with credentials': 200,
        'a voucher image': expect.stringMatching(/^loaded \d+$/),
        'reset (form post)': 'posted',
      });
      expect(JSON.stringify(results)).not.toContain('dana@example.com');
    } finally {
      await context.close();
    }
    // The mock refused each request to its tools that reached it (the preflights included).
    const toTools = log.filter((line) => line.includes(' /__mock/') && !line.includes('/__mock/assets/'));
    expect(toTools.length).toBeGreaterThanOrEqual(8);
    expect(toTools.filter((line) => !/ 403 \S+ origin_not_allowed$/.test(line))).toEqual([]);
    // Nothing changed: the publication is there, no scenario is queued.
    expect(mock.state.store.findCustomerBySourceId('victim')).toBeDefined();
    const scenarios = (await (await fetch(`${mock.url}/__mock/scenarios`)).json()) as { scenarios: unknown[] };
    expect(scenarios.scenarios).toEqual([]);
  },
);

it(
  'DNS rebinding: a browser that resolves another name to 127.0.0.1 gets ' +
    '403 host_not_allowed from the tools, the dashboard included',
  async () => {
    await publish('victim');
    const rebinding = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...ARGS, '--host-resolver-rules=MAP rebound.test 127.0.0.1'],
    });
    try {
      const page = await rebinding.newPage();
      for (const path of ['/__mock/', '/__mock/state', '/__mock/requests']) {
        const res = await page.goto(`http://rebound.test:${mock.port}${path}`);
        expect(res?.status()).toBe(403);
        expect(await page.textContent('body')).toContain('host_not_allowed');
      }
      expect(await page.textContent('body')).not.toContain('dana@example.com');
      // The same browser, through a loopback name, opens the dashboard.
      const own = await page.goto(`http://localhost:${mock.port}/__mock/`);
      expect(own?.status()).toBe(200);
    } finally {
      await rebinding.close();
    }
  },
);
