/**
 * Starts the mock: opens the store (in memory, or the data file), fills it from
 * the fixtures unless the file already holds a world, and listens. Used by the
 * CLI, users' own test suites (the package's `startMock`, see src/index.ts),
 * the tests that need a real port, and the benchmarks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fixtures } from '../domain/fixtures';
import { generateFixtures } from '../fixtures/generate-fixtures';
import { type MockApp, createApp } from './create-app';
import type { Api } from '../spec/load-api';
import { type Clock, frozenClock, systemClock } from '../runtime/clock';
import { MockState, WORLD_META_KEYS, type WorldOrigin, type WorldSource, readStoredWorld } from './mock-state';
import { openSqliteDatabase, sqliteStoreOn } from '../store/sqlite-store';
import { sqliteAsyncStoreOver } from '../store/sqlite-async-store';
import type { AsyncStore } from '../store/async-store';
import { openPostgresStore } from '../store/postgres/postgres-store';
import { describePostgresUrl, isPostgresUrl } from '../store/postgres/postgres-url';

export const DEFAULT_PORT = 4010;
export const DEFAULT_SEED = 1;
/**
 * Fixture timestamps are placed before this instant unless the clock is frozen, so the default world is the same every
 * day.
 */
const FIXTURE_EPOCH = '2026-01-01T00:00:00.000Z';

export interface MockOptions {
  /** Port to listen on (default 4010); 0 picks a free one (read it back from `url` or `port`). */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Seed of the generated world, ids and codes (default 1). */
  seed?: number;
  /** Where state lives: a SQLite file, or a `postgres://` / `postgresql://` URL; in memory when absent. */
  data?: string;
  /** The user's own fixture file (JSON or YAML, see mocks/README.md). */
  fixtures?: string;
  /** Freeze the clock at this ISO instant. */
  now?: string;
  /** Refuse to send any body that breaks the spec (500 naming the field). */
  strict?: boolean;
  /** The address clients use, for voucher asset URLs; by default taken from each request's Host. */
  publicUrl?: string;
  /** Shared deployments: /__mock/ requests that read or change state need this in `X-Mock-Admin-Token`. */
  adminToken?: string;
  /** One line per request (method, URL, status, duration, error key); silent when absent. */
  log?: (line: string) => void;
  /** What the mock derives from the spec (load-api.ts); built from the default spec when absent. */
  api?: Api;
}

export interface RunningMock {
  /** Where it listens, e.g. `http://127.0.0.1:4010`: give it to the SDK as `apiUrl`. */
  url: string;
  port: number;
  state: MockState;
  /** The handler the server serves: its QA tools and its exchanges. */
  app: MockApp;
  server: Server;
  /** 'filled' on a new world, 'resumed' when the data file already held one. */
  start: 'filled' | 'resumed';
  /** Back to the starting world, as `POST /__mock/reset` (empties the journal and the scenario queue too). */
  reset(): void;
  /** Stops listening, drops open connections and closes the store. */
  close(): Promise<void>;
}

/**
 * What the state is built from; `runId` keys request ids (random per run unless given, for tests comparing two states).
 */
export type StateOptions = Pick<MockOptions, 'seed' | 'data' | 'fixtures' | 'now'> & { runId?: string };

/** What the state is made of, whichever engine holds it. */
interface StateParts {
  seed: number;
  clock: Clock;
  makeFixtures: () => Fixtures;
  source: WorldSource;
}

function stateParts(options: StateOptions): StateParts {
  const seed = options.seed ?? DEFAULT_SEED;
  const clock: Clock = options.now ? frozenClock(options.now) : systemClock();
  const makeFixtures = (): Fixtures => {
    if (!options.fixtures) return generateFixtures(seed, options.now ?? FIXTURE_EPOCH);
    // Loaded only for a user's file: its parser and full faker cost ~300 ms of a default start.
    const { loadFixtureFile } = require('../fixtures/fixture-file') as typeof import('../fixtures/fixture-file');
    return loadFixtureFile(options.fixtures);
  };
  const source: WorldSource = options.fixtures ? { kind: 'file', file: options.fixtures } : { kind: 'generated' };
  return { seed, clock, makeFixtures, source };
}

/**
 * The state on `data`, checked against the world it says it holds: a data file or database made with another seed is
 * refused when a seed was given (resumed with its own otherwise), one made from other fixtures is refused.
 */
function checkedState(
  options: StateOptions,
  parts: StateParts,
  stored: { seed: number | undefined; origin: WorldOrigin | undefined },
  make: (seed: number) => MockState,
): MockState {
  const where = options.data === undefined ? undefined : describeData(options.data);
  if (where && options.seed !== undefined && stored.seed !== undefined && stored.seed !== options.seed) {
    throw new Error(
      `${where} was created with seed ${stored.seed}; start with --seed ${stored.seed}, or use another data file`,
    );
  }
  const state = make(stored.seed !== undefined && stored.seed !== parts.seed ? stored.seed : parts.seed);
  if (where && stored.seed !== undefined) refuseOtherWorld(where, state, stored.origin);
  return state;
}

function describeData(data: string): string {
  return isPostgresUrl(data) ? describePostgresUrl(data) : data;
}

/** Builds the state without listening (tests use it with supertest): SQLite, in memory or on a data file. */
export function createMockState(options: StateOptions = {}): MockState {
  if (options.data !== undefined && isPostgresUrl(options.data)) {
    throw new Error(
      `${describePostgresUrl(options.data)}: the in-process state is SQLite ` +
        `only; start the mock with startMock to use PostgreSQL`,
    );
  }
  const parts = stateParts(options);
  const db = openSqliteDatabase({ file: options.data });
  const store = sqliteStoreOn(db, { file: options.data });
  const data = sqliteAsyncStoreOver(db, store);
  try {
    const stored = readStoredWorld({
      seed: store.getMeta(WORLD_META_KEYS.seed),
      origin: store.getMeta(WORLD_META_KEYS.origin),
    });
    return checkedState(
      options,
      parts,
      stored,
      (seed) => new MockState(data, parts.clock, seed, parts.makeFixtures, options.runId, parts.source, store),
    );
  } catch (error) {
    store.close();
    throw error;
  }
}

/**
 * The state on a PostgreSQL database (`--data postgres://…`), shared by every replica started on it: reached and
 * migrated first (an unreachable one fails here, in one line without the password).
 */
export async function createSharedState(options: StateOptions & { data: string }): Promise<MockState> {
  const parts = stateParts(options);
  let data: AsyncStore;
  try {
    data = await openPostgresStore(options.data);
  } catch (error) {
    throw new Error(error instanceof Error ? error.message : String(error), { cause: error });
  }
  try {
    const stored = readStoredWorld(
      await data.transaction(
        async (tx) => ({
          seed: await tx.getMeta(WORLD_META_KEYS.seed),
          origin: await tx.getMeta(WORLD_META_KEYS.origin),
        }),
        { readOnly: true },
      ),
    );
    return checkedState(
      options,
      parts,
      stored,
      (seed) => new MockState(data, parts.clock, seed, parts.makeFixtures, options.runId, parts.source),
    );
  } catch (error) {
    await data.close();
    throw error;
  }
}

/**
 * A data file resumes the world it holds, and a reset goes back to the world
 * of the fixtures given now: if those differ (another or an edited
 * `--fixtures` file, or none where the file was made from one), resuming would
 * silently keep a world the fixtures no longer describe. Refused, saying how
 * to go on.
 */
function refuseOtherWorld(data: string, state: MockState, stored: WorldOrigin | undefined): void {
  if (stored === undefined) return; // made before origins were recorded: nothing to compare
  const current = state.currentOrigin();
  if (stored.kind === 'generated' && current.kind === 'generated') return;
  if (stored.kind === 'file' && current.kind === 'file' && stored.sha256 === current.sha256) return;
  const fresh = 'use another --data file (or delete this one) to start from it';
  if (stored.kind === 'generated' && current.kind === 'file') {
    throw new Error(
      `${data} holds the generated world (seed ${state.seed}), not the one ` +
        `${current.file} describes; ${fresh}, or start without --fixtures to ` +
        `resume it`,
    );
  }
  if (stored.kind === 'file' && current.kind === 'generated') {
    throw new Error(
      `${data} was made from the fixture file ${stored.file}; start with ` +
        `--fixtures ${stored.file} to resume it, or ` +
        `${fresh.replace(' to start from it', '')} for the generated world`,
    );
  }
  if (stored.kind === 'file' && current.kind === 'file') {
    const which =
      stored.file === current.file
        ? `${current.file} has changed since ${data} was made from it`
        : `${data} was made from ${stored.file}, whose world differs from the one ${current.file} describes`;
    throw new Error(`${which}; ${fresh}, or start with the fixtures it was made from to resume it`);
  }
}

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const { data } = options;
  const state =
    data !== undefined && isPostgresUrl(data)
      ? await createSharedState({ ...options, data })
      : createMockState(options);
  let start: 'filled' | 'resumed';
  try {
    start = await state.initialize();
  } catch (error) {
    await state.data.close();
    throw error;
  }
  const app = createApp({
    state,
    api: options.api,
    strict: options.strict,
    log: options.log,
    publicUrl: options.publicUrl,
    adminToken: options.adminToken,
    host: options.host ?? '127.0.0.1',
  });
  // Large enough for the 8 KiB query limit to be answered in JSON (413) rather than by Node's bare 431.
  const server = createServer({ maxHeaderSize: 256 * 1024 }, app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    // A port in use: nothing listens, so nothing may stay open either.
    await state.data.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    state,
    app,
    server,
    start,
    reset: () => {
      // Queued before any later request's transaction (on SQLite it is done before the next I/O callback runs).
      state.reset().catch((error: unknown) => console.error(error));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(() => {
          state.data.close().then(resolve, reject);
        });
        server.closeAllConnections();
      }),
  };
}
