/**
 * An in-process mock for black-box tests: a fresh in-memory world per call,
 * a frozen clock, strict mode on, and a checker that validates every body the
 * tests see against spec/ (the same way the contract suite does). Requests
 * reach the mock through createApp's handler, the one users mount and the CLI serves.
 */
import request from 'supertest';
import type { Response } from 'supertest';
import { createApp } from '../../src/app/create-app';
import { loadApi } from '../../src/spec/load-api';
import { explainErrors, formatViolation } from '../../src/spec/explain-errors';
import { SchemaCompiler } from '../../src/spec/schema-compiler';
import { createMockState } from '../../src/app/server';
import type { MockState } from '../../src/app/mock-state';

export const TEST_NOW = '2026-11-26T12:00:00.000Z';
export const PAIR = { 'X-App-Id': 'test-app', 'X-App-Token': 'test-secret' };

export interface TestMock {
  state: MockState;
  api: ReturnType<typeof request.agent>;
  close(): void;
}

/** Built once per test file, as the server builds it once at start: every mock of a file serves the same spec. */
export const API = loadApi();

export function testMock(
  options: { seed?: number; now?: string; strict?: boolean; data?: string; fixtures?: string; runId?: string } = {},
): TestMock {
  const state = createMockState({
    seed: options.seed,
    now: options.now ?? TEST_NOW,
    data: options.data,
    fixtures: options.fixtures,
    runId: options.runId,
  });
  // On SQLite the world is filled synchronously; the promise only reports how.
  void state.initialize();
  const app = createApp({ state, api: API, strict: options.strict ?? true, publicUrl: 'http://mock.test' });
  return { state, api: request.agent(app), close: () => state.store.close() };
}

const compiler = new SchemaCompiler(API.doc, { allErrors: true });

/** Violations of a response against the spec's schema for its operation and status (empty when it conforms). */
export function specViolations(operationId: string, res: Pick<Response, 'status' | 'body'>): string[] {
  const documented = API.operation(operationId).responses.get(res.status);
  if (!documented?.schema) return [`status ${res.status} is not documented for ${operationId}`];
  const validate = compiler.compile(documented.schema);
  return validate(res.body) ? [] : explainErrors(validate.errors, compiler).map(formatViolation);
}

/** deepObject query string from a nested object, as a browser app would build it. */
export { stringify as queryString } from 'qs';
