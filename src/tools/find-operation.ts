/**
 * The spec operation a request is routed to, found the way Express routes:
 * paths compared without case and without a trailing slash. Forced answers
 * and scenarios need the operation for its documented responses.
 */
import { type Operation, listOperations } from '../spec/operations';

let byRoute: Map<string, Operation> | undefined;
let templated: Array<{ method: string; pattern: RegExp; op: Operation }> | undefined;

function normalize(path: string): string {
  const lower = path.toLowerCase();
  return lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
}

/** `/v1/vouchers/{code}` → a pattern for one segment per parameter (case-sensitive, as the mock's own routes for them). */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${source}/?$`);
}

export function findOperation(method: string, path: string): Operation | undefined {
  if (!byRoute || !templated) {
    byRoute = new Map();
    templated = [];
    for (const op of listOperations().values()) {
      if (op.path.includes('{')) templated.push({ method: op.method.toUpperCase(), pattern: templatePattern(op.path), op });
      else byRoute.set(`${op.method.toUpperCase()} ${normalize(op.path)}`, op);
    }
  }
  const upper = method.toUpperCase();
  return byRoute.get(`${upper} ${normalize(path)}`) ?? templated.find((t) => t.method === upper && t.pattern.test(path))?.op;
}

/** "GET /v1/publications/create, POST /v1/publications, …" for error messages. */
export function listRoutes(): string {
  return [...listOperations().values()].map((op) => `${op.method.toUpperCase()} ${op.path}`).join(', ');
}
