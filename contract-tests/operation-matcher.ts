/**
 * Which spec operation a request exercises, from its method and URL. The
 * Publications paths are fixed strings, so a path matches when the URL's path
 * ends with it (a staging deployment may sit under a prefix such as `/api`).
 */
import { type Operation, listOperations } from '../src/spec/operations';

export function matchOperation(method: string, url: string): Operation | undefined {
  let pathname: string;
  try {
    pathname = new URL(url, 'http://relative.invalid').pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
  const wanted = method.toLowerCase();
  let best: Operation | undefined;
  for (const operation of listOperations().values()) {
    if (operation.method !== wanted) continue;
    if (pathname !== operation.path && !pathname.endsWith(operation.path)) continue;
    if (!best || operation.path.length > best.path.length) best = operation;
  }
  return best;
}
