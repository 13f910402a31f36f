/**
 * An in-process mock for the QA tool tests: like test/support/test-mock.ts (a
 * fresh in-memory world, a frozen clock, strict mode) plus the QA options
 * (admin token, journal size) and a way to read the whole state, so a test can
 * show that something changed nothing.
 */
import request from 'supertest';
import { createApp } from '../../../src/app/create-app';
import { createMockState } from '../../../src/app/server';
import type { MockState } from '../../../src/app/mock-state';
import type { StoreSnapshot } from '../../../src/store/store';
import { API, TEST_NOW } from '../../support/test-mock';

export { PAIR, TEST_NOW, queryString, specViolations } from '../../support/test-mock';

export interface QaMock {
  state: MockState;
  api: ReturnType<typeof request>;
  /** Everything the store holds right now. */
  snapshot(): StoreSnapshot;
  close(): void;
}

export interface QaMockOptions {
  seed?: number;
  strict?: boolean;
  adminToken?: string;
  journalSize?: number;
}

export function qaMock(options: QaMockOptions = {}): QaMock {
  const state = createMockState({ seed: options.seed, now: TEST_NOW });
  // On SQLite the world is filled synchronously; the promise only reports how.
  void state.initialize();
  const app = createApp({
    state,
    api: API,
    strict: options.strict ?? true,
    publicUrl: 'http://mock.test',
    adminToken: options.adminToken,
    journalSize: options.journalSize,
  });
  return { state, api: request(app), snapshot: () => state.store.exportState(), close: () => state.store.close() };
}
