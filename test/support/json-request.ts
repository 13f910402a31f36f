/**
 * One JSON request over a real socket with the test key pair, for the tests
 * that race many at once (supertest would serialise them through one app).
 */
import { type Agent, request } from 'node:http';
import { PAIR } from './test-mock';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export function jsonRequest(
  agent: Agent,
  url: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Answer> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers = {
      ...PAIR,
      ...(text ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) } : {}),
    };
    const req = request(`${url}${path}`, { method, agent, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (data += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as Record<string, unknown> }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(text);
  });
}
