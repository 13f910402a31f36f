/**
 * Conformance: each answer, on its own, against the spec. The status code is
 * documented for the operation, the content type is JSON, and the body matches
 * the schema documented for that status exactly (unknown fields at any depth,
 * missing required fields, wrong types, values outside enums, malformed
 * formats); error bodies are held to the error schema of their status.
 */
import { explainErrors, renderValue } from '../../src/spec/explain-errors';
import type { Exchange } from '../exchange';
import type { CheckContext } from './check-context';
import { type CheckOutcome, type ConformanceCheck, type Failure, PASS, fail } from './check-outcome';
import { getOperation } from '../../src/spec/operations';

const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

function documentedStatuses(operationId: string): number[] {
  return [...getOperation(operationId).responses.keys()].sort((a, b) => a - b);
}

export function statusCodeConformance(_ctx: CheckContext, exchange: Exchange): CheckOutcome {
  const response = exchange.response;
  // No usable answer (network error, timeout, a rate limit that never lifted): nothing to judge, and the run must say
  // so.
  if (exchange.error || !response)
    return {
      kind: 'error',
      reason: `${exchange.request.method} ${exchange.request.url}: ${exchange.error ?? 'no answer'}`,
    };
  const statuses = documentedStatuses(exchange.operationId);
  if (statuses.includes(response.status)) return PASS;
  return fail([
    {
      where: 'status',
      pointer: '',
      keyword: 'status',
      received: String(response.status),
      documented: `one of ${statuses.join(', ')}`,
    },
  ]);
}

export function contentTypeConformance(ctx: CheckContext, exchange: Exchange): CheckOutcome {
  const response = exchange.response;
  if (!response) return { kind: 'not_applicable', reason: 'no answer' };
  if (!ctx.documentedResponse(exchange.operationId, response.status)?.schema) {
    return { kind: 'not_applicable', reason: `status ${response.status} documents no JSON body` };
  }
  const contentType = response.headers['content-type'];
  if (contentType !== undefined && JSON_MEDIA_TYPE.test(contentType.trim())) return PASS;
  return fail([
    {
      where: 'header',
      pointer: 'Content-Type',
      keyword: 'contentType',
      received: contentType === undefined ? 'no Content-Type' : renderValue(contentType),
      documented: 'application/json',
    },
  ]);
}

/** The body against the schema documented for its status; shared by the success and the error check. */
function bodySchemaConformance(
  ctx: CheckContext,
  exchange: Exchange,
  applies: (status: number) => boolean,
): CheckOutcome {
  const response = exchange.response;
  if (!response) return { kind: 'not_applicable', reason: 'no answer' };
  if (!applies(response.status)) return { kind: 'not_applicable', reason: `not checked for status ${response.status}` };
  const validate = ctx.responseValidator(exchange.operationId, response.status);
  if (!validate)
    return {
      kind: 'not_applicable',
      reason: `status ${response.status} is not documented (see status_code_conformance)`,
    };
  const documented = `a JSON body matching the ${response.status} response of ${exchange.operationId}`;
  if (response.body.kind === 'empty') {
    return fail([{ where: 'body', pointer: '', keyword: 'body', received: 'an empty body', documented }]);
  }
  if (response.body.kind === 'invalid') {
    return fail([
      {
        where: 'body',
        pointer: '',
        keyword: 'body',
        received: `text that is not JSON: ${renderValue(response.body.text)}`,
        documented,
      },
    ]);
  }
  if (validate(response.body.value)) return PASS;
  const errors = [...(validate.errors ?? [])];
  const failures: Failure[] = explainErrors(errors, ctx.compiler).map((v) => ({ where: 'body', ...v }));
  // AJV said no but explained nothing: still a failure (fail closed).
  return fail(
    failures.length
      ? failures
      : [{ where: 'body', pointer: '', keyword: 'schema', received: renderValue(response.body.value), documented }],
  );
}

export function responseSchemaConformance(ctx: CheckContext, exchange: Exchange): CheckOutcome {
  return bodySchemaConformance(ctx, exchange, (status) => status < 400);
}

export function errorSchemaConformance(ctx: CheckContext, exchange: Exchange): CheckOutcome {
  return bodySchemaConformance(ctx, exchange, (status) => status >= 400);
}

export const CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  { name: 'status_code_conformance', run: statusCodeConformance },
  { name: 'content_type_conformance', run: contentTypeConformance },
  { name: 'response_schema_conformance', run: responseSchemaConformance },
  { name: 'error_schema_conformance', run: errorSchemaConformance },
];
