/**
 * The package's programmatic API (`require('voucherify-publications-mock')`),
 * for users' own test suites and dev servers; see README.md, "Use it from
 * your tests and dev server".
 *
 * - `startMock(options)` listens and resolves to `{ url, port, reset(), close(), … }`
 *   (jest/vitest global setup, or a `beforeAll`);
 * - `createMockHandler(options)` is the same mock as a `(req, res, next)`
 *   handler to mount in Express, Vite or webpack-dev-server;
 * - `loadApi(spec?)` builds what the mock derives from a spec once, for
 *   callers that start several mocks (`startMock({ api })`, `createMockHandler({ api })`);
 * - `WELL_KNOWN` names what the default world holds (the documentation's
 *   campaign, voucher and customer, a campaign that runs dry, …).
 */
export { DEFAULT_PORT, DEFAULT_SEED, type MockOptions, type RunningMock, startMock } from './app/server';
export { type MockHandler, type MockHandlerOptions, createMockHandler } from './app/mock-handler';
export { WELL_KNOWN } from './fixtures/generate-fixtures';
export type { MockState } from './app/mock-state';
export type { MockApp } from './app/create-app';
export type { Exchange } from './api/exchange';
export { type Api, loadApi } from './spec/load-api';
