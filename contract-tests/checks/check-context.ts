/**
 * Everything a check needs from the spec, prepared once per run: every
 * documented response schema compiled by one `SchemaCompiler` (all errors;
 * unknown fields refused unless the run opts out), and the documented errors
 * the behaviour checks expect, read from the spec's own named examples.
 */
import { type DocumentedResponse, getOperation, listOperations } from '../../src/spec/operations';
import { SchemaCompiler, type ValidateFunction } from '../../src/spec/schema-compiler';
import { loadSpec } from '../../src/spec/spec-document';
import { isRecord } from '../exchange';

/** A documented error, as the spec's named example shows it. */
export interface DocumentedError {
  operationId: string;
  status: number;
  key: string;
  /** For `not_found`: which kind of resource was missing. */
  resourceType?: string;
  /** The spec example it comes from, for reports. */
  example: string;
}

export interface CheckContext {
  readonly compiler: SchemaCompiler;
  readonly allowUnknownFields: boolean;
  /** The documented response of an operation for a status, or undefined when the status is not documented. */
  documentedResponse(operationId: string, status: number): DocumentedResponse | undefined;
  /** The compiled schema of a documented response. */
  responseValidator(operationId: string, status: number): ValidateFunction | undefined;
  /** The error the spec documents with the named example; throws when the spec has no such example (fail closed). */
  documentedError(operationId: string, status: number, example: string): DocumentedError;
}

export interface CheckContextOptions {
  allowUnknownFields?: boolean;
}

export function createCheckContext(options: CheckContextOptions = {}): CheckContext {
  const allowUnknownFields = options.allowUnknownFields ?? false;
  const compiler = new SchemaCompiler(loadSpec(), { allErrors: true, allowUnknownFields });
  const validators = new Map<string, ValidateFunction>();
  // Compile every response schema now: a schema that does not compile stops the run instead of passing silently.
  for (const operation of listOperations().values()) {
    for (const response of operation.responses.values()) {
      if (response.schema)
        validators.set(`${operation.operationId} ${response.status}`, compiler.compile(response.schema));
    }
  }
  const errors = new Map<string, DocumentedError>();

  return {
    compiler,
    allowUnknownFields,
    documentedResponse: (operationId, status) => getOperation(operationId).responses.get(status),
    responseValidator: (operationId, status) => validators.get(`${operationId} ${status}`),
    documentedError(operationId, status, example) {
      const id = `${operationId} ${status} ${example}`;
      const hit = errors.get(id);
      if (hit) return hit;
      const value = getOperation(operationId).responses.get(status)?.examples[example];
      if (!isRecord(value) || value.code !== status || typeof value.key !== 'string') {
        throw new Error(`The spec documents no error example "${example}" for ${operationId} ${status}`);
      }
      const documented: DocumentedError = {
        operationId,
        status,
        key: value.key,
        example,
        ...(typeof value.resource_type === 'string' ? { resourceType: value.resource_type } : {}),
      };
      errors.set(id, documented);
      return documented;
    },
  };
}
