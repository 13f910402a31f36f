/**
 * WireMock stub mappings made from the mock's own answers, so WireMock serves
 * byte for byte what the mock served. A GET is matched by its exact URL (path
 * and query as sent, WireMock's cheapest matcher), one stub per distinct URL;
 * a POST by method and path only, answered with the first answer seen for it:
 * a static stub cannot make a new publication per request, and matching each
 * create's body would be a cost users stubbing a create do not pay.
 * WireMock tries stubs by priority, then newest first, so a stub loaded early
 * in a file of 1,000+ is tried last: an answer given a `priority` (1 is
 * first) is matched before the rest, as a user's one stub for that request is.
 */

export interface RecordedAnswer {
  method: 'GET' | 'POST';
  path: string;
  status: number;
  contentType: string;
  body: string;
  /** WireMock's stub priority (1 is tried first; WireMock's default is 5). */
  priority?: number;
}

export interface WiremockMapping {
  priority?: number;
  request: { method: string; url?: string; urlPath?: string };
  response: { status: number; headers: Record<string, string>; body: string };
}

export function buildWiremockMappings(answers: readonly RecordedAnswer[]): { mappings: WiremockMapping[] } {
  const seen = new Set<string>();
  const mappings: WiremockMapping[] = [];
  for (const answer of answers) {
    const target = answer.method === 'POST' ? answer.path.split('?')[0]! : answer.path;
    const key = `${answer.method} ${target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    mappings.push({
      ...(answer.priority === undefined ? {} : { priority: answer.priority }),
      request: answer.method === 'POST' ? { method: 'POST', urlPath: target } : { method: answer.method, url: target },
      response: { status: answer.status, headers: { 'Content-Type': answer.contentType }, body: answer.body },
    });
  }
  return { mappings };
}
