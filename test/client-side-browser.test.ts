/**
 * The browser SDK against the mock from another origin, as a front-end team
 * uses it: a page served on one 127.0.0.1 port loads the SDK's UMD build and
 * calls `VoucherifyClientSide(…).publish(campaign, {customer})` against the
 * mock on another port, in headless Chromium (Debian's, driven by
 * playwright-core). The CORS preflight, the client key pair and the answer all
 * go through the real browser; the code the page shows must be a publication
 * the mock holds.
 *
 * Needs chromium at /usr/bin/chromium or at $CHROMIUM_PATH.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { type RunningMock, startMock } from '../src/app/server';
import { writeClientKeysFixture } from './support/client-keys-fixture';
import { PAIR } from './support/test-mock';

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
/** How long the page may take to show an outcome. */
const PAGE_TIMEOUT_MS = 15_000;

jest.setTimeout(60_000);

// The SDK's UMD build expects its dependencies as globals (`axios`, `Qs`; FormData is the browser's): the versions it
// depends on.
const SDK_DIR = dirname(require.resolve('@voucherify/sdk/package.json'));
const SCRIPTS: Record<string, string> = {
  '/axios.js': join(dirname(require.resolve('axios/package.json', { paths: [SDK_DIR] })), 'dist/axios.min.js'),
  '/qs.js': join(dirname(require.resolve('qs/package.json', { paths: [SDK_DIR] })), 'dist/qs.js'),
  '/voucherify.js': join(SDK_DIR, 'dist/voucherifysdk.umd.production.min.js'),
};

interface PageConfig {
  apiUrl: string;
  clientApplicationId: string;
  clientSecretKey: string;
  campaign: string;
  sourceId: string;
}

/** The page: publish on load, then show the code (or the error) in #outcome. */
function pageHtml(config: PageConfig): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>shop</title><link rel="icon" href="data:,">
<script src="/axios.js"></script><script src="/qs.js"></script><script src="/voucherify.js"></script>
</head><body><p id="outcome">publishing…</p>
<script>
  const config = ${JSON.stringify(config)};
  const outcome = document.getElementById('outcome');
  const client = VoucherifySDK.VoucherifyClientSide({
    clientApplicationId: config.clientApplicationId,
    clientSecretKey: config.clientSecretKey,
    apiUrl: config.apiUrl,
  });
  client.publish(config.campaign, { customer: { source_id: config.sourceId } }).then(
    (publication) => {
      outcome.dataset.code = publication.voucher.code;
      outcome.dataset.publication = publication.id;
      outcome.dataset.customer = publication.customer_id;
      outcome.textContent = 'Your code: ' + publication.voucher.code;
    },
    (error) => {
      outcome.dataset.error = String(error && error.message);
      outcome.textContent = 'Failed: ' + outcome.dataset.error;
    },
  );
</script></body></html>`;
}

interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/** A shop's page on its own 127.0.0.1 port: `/` is the page, the SDK's scripts beside it, nothing else. */
async function servePage(config: (origin: string) => PageConfig): Promise<PageServer> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const script = SCRIPTS[path];
    if (script) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(readFileSync(script));
    } else if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(pageHtml(config(origin)));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Visit {
  outcome: { code?: string; publication?: string; customer?: string; error?: string; text: string };
  /** Script errors and console errors, in the order they happened. */
  problems: string[];
}

/** Opens the page in a fresh browser context and waits until it shows an outcome. */
async function visit(page: PageServer): Promise<Visit> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    tab.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    await tab.goto(`${page.origin}/`);
    const outcome = tab.locator('#outcome[data-code], #outcome[data-error]');
    await outcome.waitFor({ timeout: PAGE_TIMEOUT_MS });
    const data = await outcome.evaluate((el) => ({ ...(el as HTMLElement).dataset, text: el.textContent ?? '' }));
    return { outcome: data, problems };
  } finally {
    await context.close();
  }
}

/** The publications the mock lists for a customer, through its server-side API. */
async function listedFor(
  mock: RunningMock,
  customerId: string,
): Promise<Array<{ id: string; tracking_id: string; channel: string; voucher: { code: string } }>> {
  const res = await fetch(`${mock.url}/v1/publications?customer=${encodeURIComponent(customerId)}`, { headers: PAIR });
  expect(res.status).toBe(200);
  return (
    (await res.json()) as {
      publications: Array<{ id: string; tracking_id: string; channel: string; voucher: { code: string } }>;
    }
  ).publications;
}

let browser: Browser;
const cleanups: Array<() => Promise<void> | void> = [];
beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No chromium at ${CHROMIUM}: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH`,
    );
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
afterEach(async () => {
  // Servers always stopped, the last started first, even when a test failed half-way.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await browser?.close();
});

describe('VoucherifyClientSide in Chromium, from a page on another origin', () => {
  it(
    'publish(campaign, {customer}) → the page shows the code, which is a ' +
      'publication the mock holds; no console errors',
    async () => {
      const mock = await startMock({ port: 0, strict: true });
      cleanups.push(() => mock.close());
      const page = await servePage(() => ({
        apiUrl: mock.url,
        clientApplicationId: 'shop-app',
        clientSecretKey: 'shop-secret',
        campaign: WELL_KNOWN.exampleCampaignName,
        sourceId: 'browser-shopper',
      }));
      cleanups.push(() => page.close());
      expect(page.origin).not.toBe(mock.url);

      const { outcome, problems } = await visit(page);
      expect(problems).toEqual([]);
      expect(outcome.error).toBeUndefined();
      expect(outcome.text).toBe(`Your code: ${outcome.code}`);

      const listed = await listedFor(mock, outcome.customer!);
      expect(listed).toEqual([
        expect.objectContaining({
          id: outcome.publication,
          tracking_id: 'browser-shopper',
          channel: 'Voucherify.js',
          voucher: expect.objectContaining({ code: outcome.code }),
        }),
      ]);
    },
  );

  it(
    'with client_keys restricting origins: the allowed page publishes; a ' +
      'page on another origin is stopped by CORS and publishes nothing',
    async () => {
      // The pages read the mock's address when served: the mock starts after them, with their origin in its fixtures.
      let apiUrl = '';
      const allowed = await servePage(() => ({
        apiUrl,
        clientApplicationId: 'shop-app',
        clientSecretKey: 'shop-secret',
        campaign: 'Browser Sale',
        sourceId: 'allowed-shopper',
      }));
      cleanups.push(() => allowed.close());
      const other = await servePage(() => ({
        apiUrl,
        clientApplicationId: 'shop-app',
        clientSecretKey: 'shop-secret',
        campaign: 'Browser Sale',
        sourceId: 'other-shopper',
      }));
      cleanups.push(() => other.close());

      const dir = mkdtempSync(join(tmpdir(), 'client-browser-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const fixtures = join(dir, 'fixtures.yaml');
      writeClientKeysFixture(fixtures, allowed.origin);
      const mock = await startMock({ port: 0, strict: true, fixtures });
      cleanups.push(() => mock.close());
      apiUrl = mock.url;

      const ok = await visit(allowed);
      expect(ok.problems).toEqual([]);
      expect(ok.outcome.code).toMatch(/^BROWSER-[12]$/);
      expect((await listedFor(mock, ok.outcome.customer!)).map((p) => p.voucher.code)).toEqual([ok.outcome.code]);

      const stopped = await visit(other);
      expect(stopped.outcome.code).toBeUndefined();
      expect(stopped.outcome.error).toBe('Network Error');
      expect(stopped.problems.join('\n')).toMatch(/blocked by CORS policy/);
      // Only the allowed page's publication exists.
      const all = await fetch(`${mock.url}/v1/publications`, { headers: PAIR });
      expect(
        ((await all.json()) as { publications: Array<{ tracking_id: string }> }).publications.map((p) => p.tracking_id),
      ).toEqual(['allowed-shopper']);
    },
  );
});
