/**
 * The OpenAPI document in spec/, read once. Everything that knows about the
 * API's shapes (validation, examples, the contract suite) starts here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export type JsonSchema = Record<string, unknown>;

export interface ExampleObject {
  summary?: string;
  value?: unknown;
  $ref?: string;
}

export interface MediaType {
  schema?: JsonSchema;
  examples?: Record<string, ExampleObject>;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, { schema?: JsonSchema; description?: string }>;
  content?: Record<string, MediaType>;
  $ref?: string;
}

export interface ParameterObject {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie';
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema?: JsonSchema;
  description?: string;
  $ref?: string;
}

export interface OperationObject {
  operationId: string;
  summary?: string;
  description?: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Partial<Record<HttpMethod, OperationObject>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses?: Record<string, ResponseObject>;
    parameters?: Record<string, ParameterObject>;
    examples?: Record<string, ExampleObject>;
    securitySchemes?: Record<string, Record<string, unknown>>;
  };
  security?: Array<Record<string, string[]>>;
}

/** Absolute path of the spec file, resolved from this module so it works from src/ and dist/src/. */
export const specPath = ((): string => {
  const fromSource = join(__dirname, '..', '..', 'spec', 'publications.openapi.yaml');
  const fromDist = join(__dirname, '..', '..', '..', 'spec', 'publications.openapi.yaml');
  try {
    readFileSync(fromSource);
    return fromSource;
  } catch {
    return fromDist;
  }
})();

let cached: OpenApiDocument | undefined;

/** The parsed document. The same object every call: treat it as read-only. */
export function loadSpec(): OpenApiDocument {
  cached ??= parse(readFileSync(specPath, 'utf8')) as OpenApiDocument;
  return cached;
}

/** Follows a local `#/components/...` reference to the object it names. */
export function resolveRef<T>(doc: OpenApiDocument, value: T | { $ref?: string }): T {
  let current: unknown = value;
  for (let hops = 0; hops < 10; hops++) {
    const ref = (current as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref !== 'string') return current as T;
    if (!ref.startsWith('#/')) throw new Error(`Only local references are supported, got ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    if (current === undefined) throw new Error(`Unresolvable reference ${ref}`);
  }
  throw new Error('Reference chain too long');
}
