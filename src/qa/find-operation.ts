/**
 * The spec operation a request is routed to, found the way Express routes:
 * paths compared without case and without a trailing slash. Forced answers
 * and scenarios need the operation for its documented responses.
 */
import { type Operation, listOperations } from '../openapi/operations';

let byRoute: Map<string, Operation> | undefined;

function normalize(path: string): string {
  const lower = path.toLowerCase();
  return lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
}

export function findOperation(method: string, path: string): Operation | undefined {
  if (!byRoute) {
    byRoute = new Map();
    for (const op of listOperations().values()) byRoute.set(`${op.method.toUpperCase()} ${normalize(op.path)}`, op);
  }
  return byRoute.get(`${method.toUpperCase()} ${normalize(path)}`);
}

/** "GET /v1/publications/create, POST /v1/publications, …" for error messages. */
export function listRoutes(): string {
  return [...listOperations().values()].map((op) => `${op.method.toUpperCase()} ${op.path}`).join(', ');
}
