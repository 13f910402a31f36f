/**
 * Which spec operation a request exercises, from its method and URL, found by
 * the mock's own router (src/spec/api-router.ts), so the suite and the mock
 * agree on what a request is. A staging deployment may sit under a prefix
 * such as `/api`: the URL's path is tried whole, then without its leading
 * segments. Only the Publications operations (the spec's fixed paths) are
 * judged; the reads with a path parameter are the mock's, not the suite's.
 */
import { type ApiRouter, createApiRouter } from '../src/spec/api-router';
import { type Operation, listOperations } from '../src/spec/operations';

/** A router over the fixed-path operations of the default spec, unless one is given. */
export function publicationsRouter(operations: Iterable<Operation> = listOperations().values()): ApiRouter {
  return createApiRouter([...operations].filter((operation) => !operation.path.includes('{')));
}

export function matchOperation(
  method: string,
  url: string,
  router: ApiRouter = publicationsRouter(),
): Operation | undefined {
  let pathname: string;
  try {
    pathname = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    return undefined;
  }
  for (let at = 0; at >= 0; at = pathname.indexOf('/', at + 1)) {
    const operation = router.find(method, pathname.slice(at));
    if (operation) return operation;
  }
  return undefined;
}
