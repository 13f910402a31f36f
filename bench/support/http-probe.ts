/**
 * One-off HTTP requests for the benchmarks: a fresh connection each time, so
 * "start to first answer" measures the server and not a kept-alive socket.
 */
import { request } from 'node:http';

export interface ProbeRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface ProbeAnswer {
  status: number;
  body: Buffer;
  /** The answer's Content-Type header ('' without one). */
  contentType: string;
}

export function probe(req: ProbeRequest, timeoutMs = 5000): Promise<ProbeAnswer> {
  return new Promise((resolve, reject) => {
    const r = request(
      req.url,
      { method: req.method ?? 'GET', headers: req.headers, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            contentType: res.headers['content-type'] ?? '',
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

/** Polls until the answer has status 200; resolves with the answer, rejects after `timeoutMs`. */
export async function waitForOk(req: ProbeRequest, timeoutMs: number, intervalMs = 2): Promise<ProbeAnswer> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const answer = await probe(req, 2000);
      if (answer.status === 200) return answer;
      last = `status ${answer.status}: ${answer.body.toString().slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline)
      throw new Error(`${req.method ?? 'GET'} ${req.url}: no 200 within ${timeoutMs} ms (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
