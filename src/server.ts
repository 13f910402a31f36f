/**
 * Starts the mock: opens the store (in memory, or the data file), fills it from
 * the fixtures unless the file already holds a world, and listens. Used by the
 * CLI, the tests that need a real port, and the benchmarks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fixtures } from '../mocks/fixtures';
import { generateFixtures } from '../mocks/generate-fixtures';
import { createApp } from './http/create-app';
import { type Clock, frozenClock, systemClock } from './runtime/clock';
import { MockState } from './state/mock-state';
import { openSqliteStore } from './store/sqlite-store';

export const DEFAULT_PORT = 4010;
export const DEFAULT_SEED = 1;
/** Fixture timestamps are placed before this instant unless the clock is frozen, so the default world is the same every day. */
const FIXTURE_EPOCH = '2026-01-01T00:00:00.000Z';

export interface MockOptions {
  port?: number;
  host?: string;
  seed?: number;
  /** A SQLite file to keep state in; in memory when absent. */
  data?: string;
  /** The user's own fixture file (JSON or YAML, see mocks/README.md). */
  fixtures?: string;
  /** Freeze the clock at this ISO instant. */
  now?: string;
  strict?: boolean;
  publicUrl?: string;
  /** Shared deployments: /__mock/ requests that read or change state need this in `X-Mock-Admin-Token`. */
  adminToken?: string;
  log?: (line: string) => void;
}

export interface RunningMock {
  url: string;
  port: number;
  state: MockState;
  server: Server;
  /** 'filled' on a new world, 'resumed' when the data file already held one. */
  start: 'filled' | 'resumed';
  close(): Promise<void>;
}

/** Builds the state without listening (tests use it with supertest). */
export function createMockState(options: Pick<MockOptions, 'seed' | 'data' | 'fixtures' | 'now'> = {}): MockState {
  const seed = options.seed ?? DEFAULT_SEED;
  const clock: Clock = options.now ? frozenClock(options.now) : systemClock();
  const makeFixtures = (): Fixtures => {
    if (!options.fixtures) return generateFixtures(seed, options.now ?? FIXTURE_EPOCH);
    // Loaded only for a user's file: its parser and full faker cost ~300 ms of a default start.
    const { loadFixtureFile } = require('../mocks/fixture-file') as typeof import('../mocks/fixture-file');
    return loadFixtureFile(options.fixtures);
  };
  const store = openSqliteStore({ file: options.data });
  try {
    const state = new MockState(store, clock, seed, makeFixtures);
    const stored = state.storedSeed();
    if (options.data && options.seed !== undefined && stored !== undefined && stored !== options.seed) {
      throw new Error(`${options.data} was created with seed ${stored}; start with --seed ${stored}, or use another data file`);
    }
    return stored !== undefined && stored !== seed ? new MockState(store, clock, stored, makeFixtures) : state;
  } catch (error) {
    store.close();
    throw error;
  }
}

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const state = createMockState(options);
  const start = state.initialize();
  const app = createApp({ state, strict: options.strict, log: options.log, publicUrl: options.publicUrl, adminToken: options.adminToken, host: options.host ?? '127.0.0.1' });
  // Large enough for the 8 KiB query limit to be answered in JSON (413) rather than by Node's bare 431.
  const server = createServer({ maxHeaderSize: 256 * 1024 }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    state,
    server,
    start,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(() => {
          try {
            state.store.close();
            resolve();
          } catch (error) {
            reject(error);
          }
        });
        server.closeAllConnections();
      }),
  };
}
