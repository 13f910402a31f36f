/**
 * The docs page's way to force a documented answer: the spec served at
 * /__mock/openapi.json gives every operation an optional `Prefer` header
 * parameter (the mock's, not the real API's, so it is added here and never
 * written into spec/). Its examples are made from the operation's documented
 * answers: `code=<status>` for each documented status but 200, `example=<name>`
 * for each named error example, and a delay. The first, empty, sends nothing:
 * "Execute" on the defaults gets the real answer.
 */
import type { OpenApiDocument, OperationObject, ParameterObject } from '../spec/spec-document';
import { getOperation } from '../spec/operations';

/** A parameter example as Swagger UI lists it (OpenAPI's Example Object). */
interface ParameterExample {
  summary: string;
  value: string;
}

type DocsParameter = Omit<ParameterObject, 'in'> & { in: 'header'; examples: Record<string, ParameterExample> };

function preferExamples(operationId: string, spec: OpenApiDocument): Record<string, ParameterExample> {
  const examples: Record<string, ParameterExample> = {
    real_answer: { summary: 'nothing forced: the real answer', value: '' },
  };
  for (const response of getOperation(operationId, spec).responses.values()) {
    if (response.status === 200) continue;
    examples[`code_${response.status}`] = {
      summary: `the first documented ${response.status}`,
      value: `code=${response.status}`,
    };
    for (const name of Object.keys(response.examples)) {
      examples[`example_${name}`] = { summary: `${response.status} ${name}`, value: `example=${name}` };
    }
  }
  examples.delay = { summary: 'the real answer, 2 s later', value: 'delay=2000' };
  return examples;
}

function preferParameter(operationId: string, spec: OpenApiDocument): DocsParameter {
  return {
    name: 'Prefer',
    in: 'header',
    required: false,
    description:
      'The mock only (not sent to the real API): force a documented answer, ' +
      'as Prism reads it. `code=404` answers the first documented 404, ' +
      '`example=<name>` that named example, `delay=<ms>` waits first. ' +
      'Credentials are checked first; nothing changes state. Leave it empty ' +
      'for the real answer.',
    schema: { type: 'string' },
    examples: preferExamples(operationId, spec),
  };
}

/** A copy of the spec whose operations each take the mock's `Prefer` header; the spec itself is left as it is. */
export function withPreferParameters(spec: OpenApiDocument): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    const copy: Record<string, unknown> = { ...item };
    for (const [method, value] of Object.entries(item)) {
      const op = value as OperationObject | undefined;
      if (!op || typeof op !== 'object' || typeof op.operationId !== 'string') continue;
      copy[method] = { ...op, parameters: [...(op.parameters ?? []), preferParameter(op.operationId, spec)] };
    }
    paths[path] = copy;
  }
  return { ...spec, paths };
}
