/**
 * The dashboard at /__mock/ in a real headless browser (Debian's chromium,
 * driven by playwright-core): it loads with no script errors and nothing from
 * the internet, shows what the mock holds, and updates live: a code published
 * through the API appears, a reset makes it disappear. Also the scenario form,
 * the admin-token prompt and the API docs page.
 *
 * Needs chromium at /usr/bin/chromium (`.ci/run` installs it) or at
 * $CHROMIUM_PATH. DASHBOARD_SCREENSHOT=<file.png> saves a screenshot; the
 * layout test always saves one per width it checks, in $DASHBOARD_SCREENSHOTS
 * (default: dashboard-screenshots/ in the system's temp folder).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
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

interface Session {
  mock: RunningMock;
  page: Page;
  /** Script errors, console errors and requests that left the mock, in the order they happened. */
  problems: string[];
}

async function open(
  options: { adminToken?: string; path?: string; width?: number; mock?: RunningMock } = {},
): Promise<Session> {
  const mock = options.mock ?? (await startMock({ port: 0, adminToken: options.adminToken }));
  const context = await browser.newContext({ viewport: { width: options.width ?? 1440, height: 1000 } });
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

  it(
    'publish through the API → the code appears live; reset → it is gone; ' +
      'no script errors, nothing from the internet',
    async () => {
      session = await open();
      const { page, mock, problems } = session;
      await page.locator('#live.live-on').waitFor();
      await page.locator(`#campaign-list [data-campaign="${WELL_KNOWN.fixedCampaignName}"]`).waitFor();
      expect(await page.locator('#publications-empty').isVisible()).toBe(true);
      expect(await page.locator(`[data-campaign="${WELL_KNOWN.fixedCampaignName}"] .campaign-left`).textContent()).toBe(
        '5 of 5 left',
      );

      const { code } = await publish(mock, 'dana', WELL_KNOWN.fixedCampaignName);
      const published = page.locator(`#publication-rows [data-code="${code}"]`);
      await published.waitFor();
      expect(await page.locator('#publication-rows tr').first().textContent()).toContain('Dana Browser');
      await page.locator('#journal-rows tr[data-request]', { hasText: 'POST/v1/publications' }).first().waitFor();
      await page.waitForFunction(
        (name) => document.querySelector(`[data-campaign="${name}"] .campaign-left`)?.textContent === '4 of 5 left',
        WELL_KNOWN.fixedCampaignName,
      );
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
    },
  );

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
    await page.waitForFunction(
      () => document.querySelector('#scenario-list .scenario-left')?.textContent === '1 of 2 left',
    );
    await page.locator('#journal-rows .forced').first().waitFor();
    expect(problems).toEqual([]);
  });

  it(
    'with an admin token, the page asks for it and shows nothing without ' +
      'it; with it: the data, live updates, a reset, a snapshot download',
    async () => {
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
      // The reads refused before the token was entered are answered 401s, which Chromium reports as failed resource
      // loads; nothing else.
      expect(
        problems.filter(
          (p) =>
            p !== 'console error: Failed to load resource: the server responded with a status of 401 (Unauthorized)',
        ),
      ).toEqual([]);
    },
  );
});

describe("the dashboard's layout at 1280 px and 390 px", () => {
  const SCREENSHOTS = process.env.DASHBOARD_SCREENSHOTS ?? join(tmpdir(), 'dashboard-screenshots');

  /** A world with long names, ids, source_ids and query strings in every table. */
  async function fill(mock: RunningMock): Promise<void> {
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${mock.url}/v1/publications`, {
        method: 'POST',
        headers: { ...PAIR, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          customer: { source_id: `customer-with-a-rather-long-source-id-${i}`, name: `Dana Longname-Browser ${i}` },
          campaign: { name: i % 2 ? WELL_KNOWN.exampleCampaignName : WELL_KNOWN.autoUpdateCampaignName },
          channel: 'storefront-checkout-web',
        }),
      });
      expect(res.status).toBe(200);
    }
    await fetch(
      `${mock.url}/v1/publications/create?customer%5Bsource_id%5D=someone` +
        '&campaign%5Bname%5D=A%20Campaign%20That%20Does%20Not%20Exist%20Anywhere',
      { headers: PAIR },
    );
    await fetch(
      `${mock.url}/v1/publications?filters%5Bcustomer_id%5D%5Bconditions%5D%5B%24in%5D%5B0%5D=` +
        `${WELL_KNOWN.exampleCustomerId}&limit=5`,
      { headers: PAIR },
    );
  }

  it.each([1280, 390])(
    'at %i px: no element is wider than its panel, request paths and ' +
      'campaign names keep a readable width; a screenshot is saved',
    async (width) => {
      const mock = await startMock({ port: 0 });
      await fill(mock);
      const session = await open({ mock, width });
      try {
        const { page, problems } = session;
        await page.locator('#live.live-on').waitFor();
        await page.locator('#publication-rows tr[data-publication]').nth(3).waitFor();
        await page.locator('#journal-rows tr[data-request]').nth(5).waitFor();
        await page.locator('#customer-rows tr[data-customer]').nth(3).waitFor();
        mkdirSync(SCREENSHOTS, { recursive: true });
        const file = join(SCREENSHOTS, `dashboard-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        expect(statSync(file).size).toBeGreaterThan(10_000);

        const layout = await page.evaluate(() => {
          const overflowing: string[] = [];
          const describe = (el: Element): string =>
            `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
          for (const panel of Array.from(document.querySelectorAll('.card, .stat, .topbar'))) {
            const box = panel.getBoundingClientRect();
            for (const el of Array.from(panel.querySelectorAll('*'))) {
              const r = el.getBoundingClientRect();
              if (r.width === 0 && r.height === 0) continue;
              if (r.left < box.left - 0.5 || r.right > box.right + 0.5)
                overflowing.push(
                  `${describe(el)} (${Math.round(r.left)}–${Math.round(r.right)}) in ` +
                    `${describe(panel)} (${Math.round(box.left)}–${Math.round(box.right)})`,
                );
            }
          }
          const page = document.documentElement;
          // Lines of a cell's own text (its label, on narrow screens a ::before, is not in the range).
          const lineCount = (el: Element): number => {
            const range = document.createRange();
            range.selectNodeContents(el);
            return new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top))).size;
          };
          return {
            overflowing,
            pageWiderThanViewport: page.scrollWidth > page.clientWidth,
            narrowestPathCell: Math.min(
              ...Array.from(document.querySelectorAll('#journal-rows .req-path')).map(
                (el) => el.closest('td')!.getBoundingClientRect().width,
              ),
            ),
            campaignCellLines: Math.max(
              ...Array.from(document.querySelectorAll('#publication-rows tr[data-publication] td:nth-child(3)')).map(
                lineCount,
              ),
            ),
          };
        });
        expect(layout.overflowing).toEqual([]);
        expect(layout.pageWiderThanViewport).toBe(false);
        // Paths were once squeezed into a column a few characters wide: the request cell holds 30 characters of its
        // monospace font or more.
        expect(layout.narrowestPathCell).toBeGreaterThan(30 * 7);
        expect(layout.campaignCellLines).toBeLessThanOrEqual(2);
        expect(problems).toEqual([]);
      } finally {
        await close(session);
      }
    },
  );
});

describe('restoring a snapshot from the dashboard', () => {
  it('asks first, naming the file and what it holds: Cancel changes nothing; Replace state restores it', async () => {
    const session = await open();
    const { page, mock, problems } = session;
    try {
      const snapshot = await (await fetch(`${mock.url}/__mock/state`)).text();
      const { code } = await publish(mock, 'after-snapshot', WELL_KNOWN.fixedCampaignName);
      await page.locator(`#publication-rows [data-code="${code}"]`).waitFor();
      const choose = (): Promise<void> =>
        page.setInputFiles('#restore', {
          name: 'before.json',
          mimeType: 'application/json',
          buffer: Buffer.from(snapshot),
        });

      await choose();
      await page.locator('#restore-dialog[open]').waitFor();
      expect(await page.locator('#restore-dialog-file').textContent()).toBe('Restore before.json into this mock?');
      expect(await page.locator('#restore-dialog-counts').textContent()).toMatch(
        /^The file holds \d+ campaigns, \d+ vouchers, \d+ customers, 0 publications\.$/,
      );
      await page.locator('#restore-cancel').click();
      await page.locator('.toast', { hasText: 'Restore cancelled: nothing changed.' }).waitFor();
      const kept = (await (await fetch(`${mock.url}/v1/publications?limit=10`, { headers: PAIR })).json()) as {
        total: number;
      };
      expect(kept.total).toBe(1);

      await choose();
      await page.locator('#restore-dialog[open]').waitFor();
      await page.locator('#restore-confirm').click();
      await page.locator('.toast', { hasText: 'Restored before.json' }).waitFor();
      await page.locator(`#publication-rows [data-code="${code}"]`).waitFor({ state: 'detached' });
      const restored = (await (await fetch(`${mock.url}/v1/publications?limit=10`, { headers: PAIR })).json()) as {
        total: number;
      };
      expect(restored.total).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await close(session);
    }
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

  /** Opens an operation, presses Execute and reads the status of the live answer. */
  async function execute(page: Page, index: number): Promise<{ path: string; status: string }> {
    const block = page.locator('.opblock').nth(index);
    if ((await block.locator('.execute').count()) === 0) await block.locator('.opblock-summary').click();
    await block.locator('.execute').click();
    const status = block.locator('.live-responses-table tbody .response-col_status');
    await status.first().waitFor();
    const text = (await status.first().textContent())!.trim();
    // The next Execute of this block must be read afresh.
    await block.locator('.btn-clear').click();
    return { path: (await block.locator('.opblock-summary-path').textContent())!.trim(), status: text };
  }

  it(
    '"Try it out" → Execute on every operation\'s defaults answers 200 ' +
      '(twice: the defaults are repeatable) on a fresh mock, signed with the ' +
      'demo keys',
    async () => {
      const session = await open({ path: '/__mock/docs' });
      try {
        const { page, problems, mock } = session;
        await page.locator('.opblock').nth(5).waitFor();
        const answers: Array<{ path: string; status: string }> = [];
        for (let round = 0; round < 2; round++) for (let i = 0; i < 6; i++) answers.push(await execute(page, i));
        expect(answers.map((a) => `${a.path} ${a.status}`)).toEqual(
          [...Array(2)].flatMap(() =>
            [
              '/v1/publications/create',
              '/v1/publications',
              '/v1/publications',
              '/v1/vouchers/{code}',
              '/v1/customers/{customerId}',
              '/client/v1/publish',
            ].map((p) => `${p} 200`),
          ),
        );
        // What was published is the documentation's: its voucher to its customer.
        const listed = (await (
          await fetch(`${mock.url}/v1/publications?customer=${WELL_KNOWN.exampleCustomerId}&limit=100`, {
            headers: PAIR,
          })
        ).json()) as { publications: Array<{ voucher?: { code: string } }> };
        expect(listed.publications.map((p) => p.voucher?.code)).toContain(WELL_KNOWN.exampleVoucherCode);
        expect(problems).toEqual([]);
      } finally {
        await close(session);
      }
    },
  );

  it(
    'each operation has a Prefer field: a chosen example (404 not_found) ' +
      'or typed text (code=429) forces that documented answer',
    async () => {
      const session = await open({ path: '/__mock/docs' });
      try {
        const { page } = session;
        const block = page.locator('#operations-Vouchers-getVoucher');
        await block.waitFor();
        await block.locator('.opblock-summary').click();
        const prefer = block.locator('tr[data-param-name="Prefer"]');
        await prefer.locator('select').selectOption('example_not_found');
        expect(await prefer.locator('input').inputValue()).toBe('example=not_found');
        const index = await page
          .locator('.opblock')
          .evaluateAll((blocks) => blocks.findIndex((b) => b.id === 'operations-Vouchers-getVoucher'));
        expect(await execute(page, index)).toMatchObject({ status: '404' });
        await prefer.locator('input').fill('code=429');
        expect(await execute(page, index)).toMatchObject({ status: '429' });
        await prefer.locator('select').selectOption('real_answer');
        expect(await execute(page, index)).toMatchObject({ status: '200' });
        // Chromium reports each answered 4xx as a failed resource load; nothing else went wrong.
        expect(session.problems.filter((p) => !/status of 4(04|29)/.test(p))).toEqual([]);
      } finally {
        await close(session);
      }
    },
  );
});
