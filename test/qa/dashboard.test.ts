/**
 * The dashboard at /__mock/ in a real headless browser (Debian's chromium,
 * driven by playwright-core): it loads with no script errors and nothing from
 * the internet, shows what the mock holds, and updates live: a code published
 * through the API appears, a reset makes it disappear. Also the scenario form,
 * the admin-token prompt and the API docs page.
 *
 * Needs chromium at /usr/bin/chromium (`.ci/run` installs it) or at
 * $CHROMIUM_PATH. DASHBOARD_SCREENSHOT=<file.png> saves a screenshot.
 */
import { existsSync } from 'node:fs';
import { type Browser, type Page, chromium } from 'playwright-core';
import { WELL_KNOWN } from '../../mocks/generate-fixtures';
import { type RunningMock, startMock } from '../../src/server';
import { PAIR } from './support/qa-mock';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

jest.setTimeout(60_000);

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
afterAll(async () => {
  await browser?.close();
});

interface Session {
  mock: RunningMock;
  page: Page;
  /** Script errors, console errors and requests that left the mock, in the order they happened. */
  problems: string[];
}

async function open(options: { adminToken?: string; path?: string } = {}): Promise<Session> {
  const mock = await startMock({ port: 0, adminToken: options.adminToken });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(mock.url) && !url.startsWith('data:')) problems.push(`request outside the mock: ${url}`);
  });
  await page.goto(`${mock.url}${options.path ?? '/__mock/'}`);
  return { mock, page, problems };
}

async function close(session: Session): Promise<void> {
  // The page first: its event stream would otherwise see the server go away.
  await session.page.context().close();
  await session.mock.close();
}

async function publish(mock: RunningMock, sourceId: string, campaign: string): Promise<{ code: string }> {
  const res = await fetch(`${mock.url}/v1/publications`, {
    method: 'POST',
    headers: { ...PAIR, 'Content-Type': 'application/json' },
    body: JSON.stringify({ customer: { source_id: sourceId, name: 'Dana Browser' }, campaign: { name: campaign } }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { voucher: { code: string } };
  return { code: body.voucher.code };
}

describe('the dashboard', () => {
  let session: Session;
  afterEach(async () => {
    await close(session);
  });

  it('publish through the API → the code appears live; reset → it is gone; no script errors, nothing from the internet', async () => {
    session = await open();
    const { page, mock, problems } = session;
    await page.locator('#live.live-on').waitFor();
    await page.locator(`#campaign-list [data-campaign="${WELL_KNOWN.fixedCampaignName}"]`).waitFor();
    expect(await page.locator('#publications-empty').isVisible()).toBe(true);
    expect(await page.locator(`[data-campaign="${WELL_KNOWN.fixedCampaignName}"] .campaign-left`).textContent()).toBe('5 of 5 left');

    const { code } = await publish(mock, 'dana', WELL_KNOWN.fixedCampaignName);
    const published = page.locator(`#publication-rows [data-code="${code}"]`);
    await published.waitFor();
    expect(await page.locator('#publication-rows tr').first().textContent()).toContain('Dana Browser');
    await page.locator('#journal-rows tr[data-request]', { hasText: 'POST/v1/publications' }).first().waitFor();
    await page.waitForFunction((name) => document.querySelector(`[data-campaign="${name}"] .campaign-left`)?.textContent === '4 of 5 left', WELL_KNOWN.fixedCampaignName);
    expect(await page.locator('#stat-publications').textContent()).toBe('1');

    await page.locator('#reset').click();
    await page.locator('#reset.confirming').waitFor();
    await page.locator('#reset').click();
    await published.waitFor({ state: 'detached' });
    await page.locator('#publications-empty').waitFor();
    await page.locator('#journal-empty').waitFor();
    expect(await page.locator('#stat-publications').textContent()).toBe('0');

    if (process.env.DASHBOARD_SCREENSHOT) {
      await publish(mock, 'dana', WELL_KNOWN.fixedCampaignName);
      await page.locator('#publication-rows [data-code]').first().waitFor();
      await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT, fullPage: true });
    }
    expect(problems).toEqual([]);
  });

  it('a code opens its QR code and barcode, served by the mock', async () => {
    session = await open();
    const { page, mock, problems } = session;
    const { code } = await publish(mock, 'eve', WELL_KNOWN.autoUpdateCampaignName);
    await page.locator(`#publication-rows [data-code="${code}"]`).click();
    await page.locator('#code-dialog[open]').waitFor();
    await page.waitForFunction(() => {
      const images = Array.from(document.querySelectorAll<HTMLImageElement>('#code-dialog img'));
      return images.length === 2 && images.every((img) => img.complete && img.naturalWidth > 0);
    });
    expect(await page.locator('#code-qr').getAttribute('src')).toBe(`assets/qr/${encodeURIComponent(code)}.png`);
    expect(problems).toEqual([]);
  });

  it('the scenario form queues a fault; the API then answers with it and the queue counts down', async () => {
    session = await open();
    const { page, mock, problems } = session;
    await page.locator('#scenario-route option').nth(2).waitFor({ state: 'attached' });
    await page.selectOption('#scenario-route', { label: 'GET /v1/publications' });
    await page.selectOption('#scenario-type', 'rate_limit');
    await page.fill('#scenario-form [name="retry_after"]', '9');
    await page.fill('#scenario-form [name="times"]', '2');
    await page.click('#scenario-form button[type="submit"]');
    await page.locator('#scenario-list [data-scenario="scn_1"]').waitFor();
    expect(await page.locator('#scenario-list .scenario-left').textContent()).toBe('2 of 2 left');

    const res = await fetch(`${mock.url}/v1/publications`, { headers: PAIR });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('9');
    await page.waitForFunction(() => document.querySelector('#scenario-list .scenario-left')?.textContent === '1 of 2 left');
    await page.locator('#journal-rows .forced').first().waitFor();
    expect(problems).toEqual([]);
  });

  it('with an admin token, the page asks for it and shows nothing without it; with it: the data, live updates, a reset, a snapshot download', async () => {
    session = await open({ adminToken: 'qa-secret' });
    const { page, mock, problems } = session;
    const { code } = await publish(mock, 'frank', WELL_KNOWN.autoUpdateCampaignName);
    await page.locator('#token-box').waitFor();
    await page.locator('.toast-error', { hasText: 'X-Mock-Admin-Token' }).first().waitFor();
    await page.locator('#live-text', { hasText: 'Needs the admin token' }).waitFor();
    expect(await page.locator(`#publication-rows [data-code="${code}"]`).count()).toBe(0);

    await page.fill('#token', 'qa-secret');
    await page.locator(`#publication-rows [data-code="${code}"]`).waitFor();
    await page.locator('#live.live-on').waitFor();
    const { code: second } = await publish(mock, 'grace', WELL_KNOWN.autoUpdateCampaignName);
    await page.locator(`#publication-rows [data-code="${second}"]`).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
    expect(download.suggestedFilename()).toMatch(/^mock-state-seed1-.*\.json$/);

    await page.locator('#reset').click();
    await page.locator('#reset').click();
    await page.locator(`#publication-rows [data-code="${code}"]`).waitFor({ state: 'detached' });
    // The reads refused before the token was entered are answered 401s, which Chromium reports as failed resource loads; nothing else.
    expect(problems.filter((p) => p !== 'console error: Failed to load resource: the server responded with a status of 401 (Unauthorized)')).toEqual([]);
  });
});

describe('the API docs page', () => {
  it('renders the six operations from spec/ with Swagger UI, all served by the mock', async () => {
    const session = await open({ path: '/__mock/docs' });
    try {
      const { page, problems } = session;
      await page.locator('.opblock').nth(5).waitFor();
      expect(await page.locator('.opblock').count()).toBe(6);
      expect(await page.locator('.servers select').inputValue()).toBe(session.mock.url);
      expect(problems).toEqual([]);
    } finally {
      await close(session);
    }
  });
});
