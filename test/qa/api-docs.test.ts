/**
 * API docs at /__mock/docs: Swagger UI from node_modules (swagger-ui-dist, no
 * CDN) over /__mock/openapi.json, the spec with this mock as its first server
 * so "Try it out" calls the mock. (The page itself is opened in a real browser
 * in dashboard.test.ts.)
 */
import { loadSpec } from '../../src/spec/spec-document';
import { type QaMock, qaMock } from './support/qa-mock';

let mock: QaMock;
beforeAll(() => {
  mock = qaMock();
});
afterAll(() => mock.close());

describe('GET /__mock/openapi.json', () => {
  /** The served paths without the mock's own Prefer parameter (tested below). */
  function withoutPrefer(paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>>): unknown {
    const copy = JSON.parse(JSON.stringify(paths)) as typeof paths;
    for (const item of Object.values(copy)) {
      for (const op of Object.values(item)) {
        op.parameters = (op.parameters ?? []).filter((p) => p.name !== 'Prefer');
        if (op.parameters.length === 0) delete op.parameters;
      }
    }
    return copy;
  }

  it('is the spec from spec/, with this mock as the first server (and the Prefer parameter, below)', async () => {
    const res = await mock.api.get('/__mock/openapi.json');
    expect(res.status).toBe(200);
    const spec = loadSpec();
    expect(withoutPrefer(res.body.paths)).toEqual(JSON.parse(JSON.stringify(spec.paths)));
    expect(res.body.components).toEqual(JSON.parse(JSON.stringify(spec.components)));
    expect(res.body.servers[0]).toEqual({ url: 'http://mock.test', description: 'This mock' });
    expect(res.body.servers.slice(1)).toEqual(JSON.parse(JSON.stringify((spec as { servers?: unknown[] }).servers)));
  });

  it(
    'every operation takes an optional Prefer header, its examples made ' +
      "from that operation's documented answers; the first sends nothing; " +
      'spec/ itself has none',
    async () => {
      const res = await mock.api.get('/__mock/openapi.json');
      const { listOperations } = await import('../../src/spec/operations');
      const served = res.body.paths as Record<
        string,
        Record<
          string,
          {
            operationId: string;
            parameters: Array<{
              name: string;
              in: string;
              required: boolean;
              examples: Record<string, { value: string }>;
            }>;
          }
        >
      >;
      const operations = [...listOperations().values()];
      expect(operations.length).toBe(6);
      for (const op of operations) {
        const prefer = served[op.path]![op.method]!.parameters.filter((p) => p.name === 'Prefer');
        expect(prefer).toHaveLength(1);
        expect(prefer[0]).toMatchObject({ in: 'header', required: false });
        const values = Object.values(prefer[0]!.examples).map((e) => e.value);
        expect(values[0]).toBe('');
        const documented = [...op.responses.values()].filter((r) => r.status !== 200);
        expect(values).toEqual(
          expect.arrayContaining([
            ...documented.map((r) => `code=${r.status}`),
            ...documented.flatMap((r) => Object.keys(r.examples).map((name) => `example=${name}`)),
            'delay=2000',
          ]),
        );
        expect(JSON.stringify(loadSpec().paths[op.path])).not.toContain('"Prefer"');
      }
    },
  );

  it(
    'a Prefer example from the docs page forces that answer (getVoucher, ' + 'example=not_found → its documented 404)',
    async () => {
      const res = await mock.api
        .get('/v1/vouchers/cEsMn0uA')
        .set({ 'X-App-Id': 'my-app', 'X-App-Token': 'my-secret', Prefer: 'example=not_found' });
      expect(res.status).toBe(404);
      expect(res.headers['preference-applied']).toMatch(/example=not_found/);
    },
  );

  it('without a public URL, the server is the address the request came to', async () => {
    const { createApp } = await import('../../src/app/create-app');
    const { default: request } = await import('supertest');
    // A Host the mock's tools answer: it listens on that name (--host qa-box).
    const res = await request(createApp({ state: mock.state, host: 'qa-box' }))
      .get('/__mock/openapi.json')
      .set('Host', 'qa-box:4010');
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

  it(
    "the page's script points Swagger UI at ../openapi.json with no " +
      'validator badge (it would call validator.swagger.io)',
    async () => {
      const res = await mock.api.get('/__mock/docs/page/docs.js');
      expect(res.text).toContain("url: '../openapi.json'");
      expect(res.text).toContain('validatorUrl: null');
    },
  );

  it('a file that is not there → JSON 404', async () => {
    const res = await mock.api.get('/__mock/docs/ui/nothing.js');
    expect(res.status).toBe(404);
    expect(res.body.key).toBe('not_found');
  });
});
