/**
 * Checks a HAR capture (browser devtools, a proxy) offline: every exchange
 * with a Publications operation is judged by the conformance checks; other
 * entries are ignored. Behaviour cannot be judged from a capture, as the
 * requests were not chosen by the suite.
 */
import { readFileSync } from 'node:fs';
import { createCheckContext } from './checks/check-context';
import { CONFORMANCE_CHECKS } from './checks/conformance-checks';
import { ConfigError } from './config-error';
import { isCredentialHeader, maskHeaders } from './credentials';
import { type Exchange, isRecord, parseBody } from './exchange';
import { matchOperation, publicationsRouter } from './operation-matcher';
import { type ContractReport, type RunSettings, type Verdict, buildReport, groupVerdicts } from './report';
import { redactSecrets } from './redact';

export interface HarOptions {
  allowUnknownFields?: boolean;
}

interface HarExchanges {
  exchanges: Exchange[];
  entries: number;
  /** Credential header values found in the capture, redacted from the report wherever they appear. */
  secrets: string[];
}

function headerList(value: unknown): Array<{ name: string; value: string }> {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (h): h is { name: string; value: string } =>
      isRecord(h) && typeof h.name === 'string' && typeof h.value === 'string',
  );
}

function decodeContent(content: Record<string, unknown>): string {
  const text = typeof content.text === 'string' ? content.text : '';
  return content.encoding === 'base64' ? Buffer.from(text, 'base64').toString('utf8') : text;
}

/** The Publications exchanges of a parsed HAR document. */
export function exchangesFromHar(har: unknown): HarExchanges {
  const entries = isRecord(har) && isRecord(har.log) && Array.isArray(har.log.entries) ? har.log.entries : undefined;
  if (!entries) throw new ConfigError('not a HAR document: no log.entries');
  const exchanges: Exchange[] = [];
  const secrets: string[] = [];
  const router = publicationsRouter();
  entries.forEach((entry: unknown, index) => {
    if (!isRecord(entry) || !isRecord(entry.request) || !isRecord(entry.response)) return;
    const { request, response } = entry;
    if (typeof request.method !== 'string' || typeof request.url !== 'string') return;
    const operation = matchOperation(request.method, request.url, router);
    if (!operation) return;
    const requestHeaders: Record<string, string> = {};
    for (const h of headerList(request.headers)) {
      requestHeaders[h.name] = h.value;
      if (isCredentialHeader(h.name)) secrets.push(h.value, h.value.replace(/^Bearer\s+/i, ''));
    }
    const url = new URL(request.url, 'http://relative.invalid');
    const postText =
      isRecord(request.postData) && typeof request.postData.text === 'string' ? request.postData.text : undefined;
    const postBody = postText === undefined ? undefined : parseBody(postText);
    const exchange: Exchange = {
      id: exchanges.length + 1,
      scenario: 'har',
      label: `entry ${index}`,
      operationId: operation.operationId,
      request: {
        method: request.method.toUpperCase(),
        url: request.url,
        path: `${url.pathname}${url.search}`,
        headers: maskHeaders(requestHeaders),
        ...(postBody?.kind === 'json' ? { body: postBody.value } : postText ? { body: postText } : {}),
      },
      attempts: 1,
      durationMs: typeof entry.time === 'number' ? Math.round(entry.time) : 0,
    };
    const status = typeof response.status === 'number' ? response.status : 0;
    if (status <= 0) {
      exchange.error = 'the capture holds no answer (status 0: blocked, aborted or failed)';
    } else {
      const headers: Record<string, string> = {};
      for (const h of headerList(response.headers)) headers[h.name.toLowerCase()] = h.value;
      const content = isRecord(response.content) ? response.content : {};
      if (headers['content-type'] === undefined && typeof content.mimeType === 'string' && content.mimeType)
        headers['content-type'] = content.mimeType;
      exchange.response = { status, headers, body: parseBody(decodeContent(content)) };
    }
    exchanges.push(exchange);
  });
  return { exchanges, entries: entries.length, secrets };
}

export function checkHar(file: string, options: HarOptions = {}): ContractReport {
  const startedAt = new Date();
  const settings: RunSettings = {
    checks: 'har',
    readOnly: true,
    allowUnknownFields: options.allowUnknownFields ?? false,
    maxPublications: 0,
  };
  const base = { target: `HAR ${file}`, settings, runId: 'har', startedAt };
  let found: HarExchanges;
  try {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read --har ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    let har: unknown;
    try {
      har = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`--har ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    found = exchangesFromHar(har);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return buildReport({ ...base, results: [], exchanges: [], couldNotRun: error.message });
  }
  const finish = (report: ContractReport): ContractReport => redactSecrets(report, found.secrets);
  if (!found.exchanges.length) {
    return finish(
      buildReport({
        ...base,
        results: [],
        exchanges: [],
        couldNotRun:
          `no Publications exchanges in ${file} (${found.entries} entries, none ` + `for an operation of the spec)`,
      }),
    );
  }
  const ctx = createCheckContext({ allowUnknownFields: settings.allowUnknownFields });
  const verdicts: Verdict[] = found.exchanges.flatMap((exchange) =>
    CONFORMANCE_CHECKS.map((check) => ({
      check: check.name,
      family: 'conformance' as const,
      operationId: exchange.operationId,
      outcome: check.run(ctx, exchange),
      exchanges: [exchange],
    })),
  );
  return finish(buildReport({ ...base, results: groupVerdicts(verdicts), exchanges: found.exchanges }));
}
