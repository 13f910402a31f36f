/**
 * WireMock stub mappings made from the mock's own answers, so WireMock serves
 * byte for byte what the mock served. A GET is matched by its exact URL (path
 * and query as sent, WireMock's cheapest matcher), one stub per distinct URL;
 * a POST by method and path only, answered with the first answer seen for it:
 * a static stub cannot make a new publication per request, and matching each
 * create's body would be a cost users stubbing a create do not pay.
 */

export interface RecordedAnswer {
  method: 'GET' | 'POST';
  path: string;
  status: number;
  contentType: string;
  body: string;
}

export interface WiremockMapping {
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
      request: answer.method === 'POST' ? { method: 'POST', urlPath: target } : { method: answer.method, url: target },
      response: { status: answer.status, headers: { 'Content-Type': answer.contentType }, body: answer.body },
    });
  }
  return { mappings };
}
