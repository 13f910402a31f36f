/**
 * The one router of the API, derived from the spec's paths: a method and a
 * raw request path (not decoded, no query) to the operation it names, or the
 * methods its path documents (for 405 and `Allow`), or nothing (404). The
 * mock's handler, the QA tools (forced answers, scenarios) and the contract
 * suite all route through it, so they cannot disagree about what a request is.
 *
 * Matching follows Express's defaults, which the mock answered with before:
 * literal parts compare without case, a trailing slash is allowed, and a
 * `{parameter}` is one non-empty segment, handed over raw (the operation
 * decodes it, so a malformed escape is its 404, not a router error).
 */
import type { Operation } from './operations';

export type RouteResult =
  /** `params`: raw (still percent-encoded) path parameters by name. */
  | { kind: 'operation'; operation: Operation; params: Record<string, string> }
  /** The path is the API's, the method is not one it documents. */
  | { kind: 'method'; allowed: readonly string[] }
  | { kind: 'none' };

/** One path of the spec: its literal segments (lowercased) and parameter names, and its operations by method. */
interface PathEntry {
  template: string;
  /** Per segment: the lowercased literal, or null for a parameter. */
  segments: Array<string | null>;
  names: string[];
  byMethod: Map<string, Operation>;
  allowed: readonly string[];
}

export interface ApiRouter {
  route(method: string, path: string): RouteResult;
  /** The operation a method and path name, or undefined. */
  find(method: string, path: string): Operation | undefined;
  /**
   * The methods a path documents (as the spec orders them, upper case), or undefined for a path the API does not have.
   */
  allowedMethods(path: string): readonly string[] | undefined;
  /** "GET /v1/publications/create, POST /v1/publications, …" for error messages. */
  listRoutes(): string;
}

const NONE: RouteResult = { kind: 'none' };
const NO_PARAMS: Record<string, string> = Object.freeze({});

function splitTemplate(template: string): { segments: Array<string | null>; names: string[] } {
  const names: string[] = [];
  const segments = template
    .slice(1)
    .split('/')
    .map((part) => {
      const parameter = /^\{([^}]+)\}$/.exec(part);
      if (!parameter) return part.toLowerCase();
      names.push(parameter[1]!);
      return null;
    });
  return { segments, names };
}

export function createApiRouter(operations: Iterable<Operation>): ApiRouter {
  const byTemplate = new Map<string, PathEntry>();
  for (const operation of operations) {
    let entry = byTemplate.get(operation.path);
    if (!entry) {
      entry = { template: operation.path, ...splitTemplate(operation.path), byMethod: new Map(), allowed: [] };
      byTemplate.set(operation.path, entry);
    }
    entry.byMethod.set(operation.method.toUpperCase(), operation);
    entry.allowed = [...entry.byMethod.keys()];
  }
  // Literal paths are looked up whole (the hot case); parameterised ones are compared segment by segment.
  const literal = new Map<string, PathEntry>();
  const templated: PathEntry[] = [];
  for (const entry of byTemplate.values()) {
    if (entry.names.length === 0) literal.set(`/${entry.segments.join('/')}`, entry);
    else templated.push(entry);
  }
  const all = [...byTemplate.values()];

  /** The entry of a raw path and its raw parameter values. */
  function match(path: string): { entry: PathEntry; values: string[] } | undefined {
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const exact = literal.get(trimmed) ?? literal.get(trimmed.toLowerCase());
    if (exact) return { entry: exact, values: [] };
    if (templated.length === 0) return undefined;
    const raw = trimmed.slice(1).split('/');
    for (const entry of templated) {
      if (entry.segments.length !== raw.length) continue;
      const values: string[] = [];
      let ok = true;
      for (let i = 0; i < raw.length && ok; i++) {
        const expected = entry.segments[i];
        const segment = raw[i]!;
        if (expected === null) {
          if (segment.length === 0) ok = false;
          else values.push(segment);
        } else if (segment.toLowerCase() !== expected) ok = false;
      }
      if (ok) return { entry, values };
    }
    return undefined;
  }

  function route(method: string, path: string): RouteResult {
    const found = match(path);
    if (!found) return NONE;
    const operation = found.entry.byMethod.get(method.toUpperCase());
    if (!operation) return { kind: 'method', allowed: found.entry.allowed };
    if (found.values.length === 0) return { kind: 'operation', operation, params: NO_PARAMS };
    const params: Record<string, string> = {};
    found.entry.names.forEach((name, i) => (params[name] = found.values[i]!));
    return { kind: 'operation', operation, params };
  }

  return {
    route,
    find(method, path) {
      const result = route(method, path);
      return result.kind === 'operation' ? result.operation : undefined;
    },
    allowedMethods(path) {
      return match(path)?.entry.allowed;
    },
    listRoutes() {
      return all
        .flatMap((entry) => [...entry.byMethod.values()].map((op) => `${op.method.toUpperCase()} ${op.path}`))
        .join(', ');
    },
  };
}
