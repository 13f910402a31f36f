/**
 * The package's programmatic API (`require('voucherify-publications-mock')`),
 * for users' own test suites and dev servers; see README.md, "Use it from
 * your tests and dev server".
 *
 * - `startMock(options)` listens and resolves to `{ url, port, reset(), close(), … }`
 *   (jest/vitest global setup, or a `beforeAll`);
 * - `createMockHandler(options)` is the same mock as a `(req, res, next)`
 *   handler to mount in Express, Vite or webpack-dev-server;
 * - `WELL_KNOWN` names what the default world holds (the documentation's
 *   campaign, voucher and customer, a campaign that runs dry, …).
 */
export { DEFAULT_PORT, DEFAULT_SEED, type MockOptions, type RunningMock, startMock } from './app/server';
export { type MockHandler, type MockHandlerOptions, createMockHandler } from './app/mock-handler';
export { WELL_KNOWN } from './fixtures/generate-fixtures';
export type { MockState } from './app/mock-state';
