/**
 * API docs at /__mock/docs: Swagger UI from node_modules (swagger-ui-dist, no
 * CDN) over /__mock/openapi.json, the spec with this mock as its first server
 * so "Try it out" calls the mock. (The page itself is opened in a real browser
 * in dashboard.test.ts.)
 */
import { loadSpec } from '../../src/openapi/spec-document';
import { type QaMock, qaMock } from './support/qa-mock';

let mock: QaMock;
beforeAll(() => {
  mock = qaMock();
});
afterAll(() => mock.close());

describe('GET /__mock/openapi.json', () => {
  it('is the spec from spec/, with this mock as the first server', async () => {
    const res = await mock.api.get('/__mock/openapi.json');
    expect(res.status).toBe(200);
    const spec = loadSpec();
    expect(res.body.paths).toEqual(JSON.parse(JSON.stringify(spec.paths)));
    expect(res.body.components).toEqual(JSON.parse(JSON.stringify(spec.components)));
    expect(res.body.servers[0]).toEqual({ url: 'http://mock.test', description: 'This mock' });
    expect(res.body.servers.slice(1)).toEqual(JSON.parse(JSON.stringify((spec as { servers?: unknown[] }).servers)));
  });

  it('without a public URL, the server is the address the request came to', async () => {
    const { createApp } = await import('../../src/http/create-app');
    const { default: request } = await import('supertest');
    // A Host the mock's tools answer: it listens on that name (--host qa-box).
    const res = await request(createApp({ state: mock.state, host: 'qa-box' })).get('/__mock/openapi.json').set('Host', 'qa-box:4010');
    expect(res.body.servers[0].url).toBe('http://qa-box:4010');
  });
});

describe('GET /__mock/docs', () => {
  it('/__mock/docs → redirect to /__mock/docs/ (the page links relatively)', async () => {
    const res = await mock.api.get('/__mock/docs');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('docs/');
  });

  it('/__mock/docs/ is an HTML page loading Swagger UI from the mock itself, nothing from the internet', async () => {
    const res = await mock.api.get('/__mock/docs/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const sources = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual(expect.arrayContaining(['ui/swagger-ui.css', 'ui/swagger-ui-bundle.js', 'page/docs.js']));
    expect(sources.filter((s) => /^(https?:)?\/\//.test(s ?? ''))).toEqual([]);
  });

  it.each([
    ['/__mock/docs/ui/swagger-ui-bundle.js', /javascript/],
    ['/__mock/docs/ui/swagger-ui.css', /text\/css/],
    ['/__mock/docs/page/docs.js', /javascript/],
  ])('%s is served', async (url, type) => {
    const res = await mock.api.get(url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(type);
  });

  it('the page\'s script points Swagger UI at ../openapi.json with no validator badge (it would call validator.swagger.io)', async () => {
    const res = await mock.api.get('/__mock/docs/page/docs.js');
    expect(res.text).toContain("url: '../openapi.json'");
    expect(res.text).toContain('validatorUrl: null');
  });

  it('a file that is not there → JSON 404', async () => {
    const res = await mock.api.get('/__mock/docs/ui/nothing.js');
    expect(res.status).toBe(404);
    expect(res.body.key).toBe('not_found');
  });
});
