/**
 * The body of `POST /__mock/scenarios`: which requests (method, path, and
 * optionally fields of the query or body that must be equal) get which fault,
 * how many times. Checked by a hand-written schema (a mock-only format) and
 * then against spec/: the path must be one of the API's operations and an
 * `error` fault must name something the operation documents (or a key of the
 * mock's error table). Nothing is queued unless all of it is valid.
 */
import { ApiError, ERROR_KEYS, type ErrorKey } from '../domain/api-error';
import type { ApiRouter } from '../spec/api-router';
import type { Operation } from '../spec/operations';
import { type DocumentedAnswer, documentedAnswer } from './documented-answer';
import { compileMockFormat } from './mock-format';
import { MAX_DELAY_MS } from './prefer-header';

export type Fault =
  /** A documented error: by error key, by status (its first example) and/or by example name. */
  | { type: 'error'; key?: string; status?: number; example?: string }
  /** The operation's documented 429 with a `Retry-After` header (seconds, default 1). */
  | { type: 'rate_limit'; retry_after?: number }
  /** A 500 `internal_error`. */
  | { type: 'server_error' }
  /** The socket is destroyed without an answer. */
  | { type: 'drop' }
  /** The real answer, `ms` later. */
  | { type: 'delay'; ms: number };

export type FieldValue = string | number | boolean | null;

export interface ScenarioInput {
  method: string;
  path: string;
  /** Query fields that must equal these values (compared as text); `customer.source_id` or `customer[source_id]`. */
  query?: Record<string, FieldValue>;
  /** Body fields that must be strictly equal to these values. */
  body?: Record<string, FieldValue>;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  fault: Fault;
  /** Free text for people, e.g. the bug report's number. */
  note?: string;
}

/**
 * What an `error` fault answers: a spec example, or (for a key the operation does not document) a body built from the
 * error table.
 */
export type ErrorAnswer = { kind: 'documented'; answer: DocumentedAnswer } | { kind: 'table'; key: ErrorKey };

export interface ParsedScenario {
  input: ScenarioInput & { times: number };
  operation: Operation;
  errorAnswer?: ErrorAnswer;
}

export const MAX_TIMES = 100_000;

const fieldMap = {
  type: 'object',
  maxProperties: 20,
  propertyNames: { minLength: 1, maxLength: 200 },
  additionalProperties: { type: ['string', 'number', 'boolean', 'null'], maxLength: 1000 },
};

const SCENARIO_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['method', 'path', 'fault'],
  properties: {
    method: { type: 'string', pattern: '^[A-Za-z]{3,7}$' },
    path: { type: 'string', pattern: '^/[^?#]*$', maxLength: 200 },
    query: fieldMap,
    body: fieldMap,
    times: { type: 'integer', minimum: 1, maximum: MAX_TIMES },
    note: { type: 'string', maxLength: 500 },
    fault: {
      type: 'object',
      required: ['type'],
      properties: { type: { type: 'string' } },
      discriminator: { propertyName: 'type' },
      oneOf: [
        {
          properties: {
            type: { const: 'error' },
            key: { type: 'string', minLength: 1, maxLength: 100 },
            status: { type: 'integer', minimum: 400, maximum: 599 },
            example: { type: 'string', minLength: 1, maxLength: 100 },
          },
          additionalProperties: false,
          minProperties: 2,
        },
        {
          properties: { type: { const: 'rate_limit' }, retry_after: { type: 'integer', minimum: 0, maximum: 86_400 } },
          additionalProperties: false,
        },
        { properties: { type: { const: 'server_error' } }, additionalProperties: false },
        { properties: { type: { const: 'drop' } }, additionalProperties: false },
        {
          properties: { type: { const: 'delay' }, ms: { type: 'integer', minimum: 0, maximum: MAX_DELAY_MS } },
          required: ['ms'],
          additionalProperties: false,
        },
      ],
    },
  },
};

const checkShape = compileMockFormat<ScenarioInput>(SCENARIO_SCHEMA, 'invalid_scenario', 'Scenario');

function invalid(details: string): ApiError {
  return new ApiError('invalid_scenario', details);
}

function isErrorKey(key: string): key is ErrorKey {
  return Object.prototype.hasOwnProperty.call(ERROR_KEYS, key);
}

function resolveError(operation: Operation, fault: Extract<Fault, { type: 'error' }>): ErrorAnswer {
  let answer: DocumentedAnswer;
  try {
    answer = documentedAnswer(operation, fault, (details) => invalid(`Scenario fault: ${details}`));
  } catch (error) {
    // A key the operation does not document, alone: built from the mock's error table (e.g. internal_error).
    if (fault.key !== undefined && fault.status === undefined && fault.example === undefined && isErrorKey(fault.key)) {
      return { kind: 'table', key: fault.key };
    }
    throw error;
  }
  if (answer.status < 400)
    throw invalid(
      `Scenario fault: example ${JSON.stringify(answer.example)} is a ` +
        `${answer.status} answer, not an error; use Prefer: ` +
        `example=${answer.example} to force it`,
    );
  return { kind: 'documented', answer };
}

/** `router`: the app's (load-api.ts), so a scenario names the operations the mock routes to. */
export function parseScenario(body: unknown, router: ApiRouter): ParsedScenario {
  const input = checkShape(body);
  const operation = router.find(input.method, input.path);
  if (!operation)
    throw invalid(
      `Scenario: ${input.method.toUpperCase()} ${input.path} is not an ` +
        `operation of the API; use one of ${router.listRoutes()}`,
    );
  const parsed: ParsedScenario = {
    input: { ...input, method: operation.method.toUpperCase(), path: operation.path, times: input.times ?? 1 },
    operation,
  };
  if (input.fault.type === 'error') parsed.errorAnswer = resolveError(operation, input.fault);
  return parsed;
}
