/**
 * The spec's operations with every `$ref` to parameters, responses and examples
 * followed, so callers look things up by operationId and status code.
 */
import {
  type HttpMethod,
  type JsonSchema,
  type OpenApiDocument,
  type OperationObject,
  type ParameterObject,
  type ResponseObject,
  loadSpec,
  resolveRef,
} from './spec-document';

export interface DocumentedResponse {
  status: number;
  description: string;
  schema?: JsonSchema;
  /** Named examples, by name, with their values. */
  examples: Record<string, unknown>;
  headers: Record<string, JsonSchema>;
}

export interface Operation {
  operationId: string;
  method: HttpMethod;
  /** The path as written in the spec, e.g. `/v1/publications/create`. */
  path: string;
  parameters: ParameterObject[];
  bodySchema?: JsonSchema;
  bodyExamples: Record<string, unknown>;
  responses: Map<number, DocumentedResponse>;
}

function resolveResponse(doc: OpenApiDocument, status: number, raw: ResponseObject): DocumentedResponse {
  const response = resolveRef<ResponseObject>(doc, raw);
  const media = response.content?.['application/json'];
  const examples: Record<string, unknown> = {};
  for (const [name, example] of Object.entries(media?.examples ?? {})) {
    examples[name] = resolveRef(doc, example).value;
  }
  const headers: Record<string, JsonSchema> = {};
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    if (header.schema) headers[name] = header.schema;
  }
  return { status, description: response.description, schema: media?.schema, examples, headers };
}

function buildOperation(doc: OpenApiDocument, path: string, method: HttpMethod, op: OperationObject): Operation {
  const media = op.requestBody?.content['application/json'];
  const bodyExamples: Record<string, unknown> = {};
  for (const [name, example] of Object.entries(media?.examples ?? {})) {
    bodyExamples[name] = resolveRef(doc, example).value;
  }
  const responses = new Map<number, DocumentedResponse>();
  for (const [code, raw] of Object.entries(op.responses)) {
    responses.set(Number(code), resolveResponse(doc, Number(code), raw));
  }
  return {
    operationId: op.operationId,
    method,
    path,
    parameters: (op.parameters ?? []).map((p) => resolveRef<ParameterObject>(doc, p)),
    bodySchema: media?.schema,
    bodyExamples,
    responses,
  };
}

/**
 * Every operation of a spec, by operationId, made anew each call: callers that
 * serve requests keep the map loadApi (load-api.ts) builds once at start.
 */
export function listOperations(doc: OpenApiDocument = loadSpec()): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = item[method];
      if (op) out.set(op.operationId, buildOperation(doc, path, method, op));
    }
  }
  return out;
}

export function getOperation(operationId: string, doc: OpenApiDocument = loadSpec()): Operation {
  const op = listOperations(doc).get(operationId);
  if (!op) throw new Error(`No operation ${operationId} in the spec`);
  return op;
}

/** The object schema of an operation's query string: one property per query parameter. */
export function querySchema(op: Operation): JsonSchema {
  const query = op.parameters.filter((p) => p.in === 'query');
  return {
    type: 'object',
    properties: Object.fromEntries(query.map((p) => [p.name, p.schema ?? {}])),
    required: query.filter((p) => p.required).map((p) => p.name),
  };
}
