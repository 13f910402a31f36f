/**
 * The scenario queue, for an app under test that cannot set headers:
 * `POST /__mock/scenarios` queues a fault for the next N requests matching a
 * method and path (and optionally a query or body field); `GET` lists them
 * with what is left; `DELETE` clears them. Faults: a documented error, a
 * delay, a 429 with Retry-After, a 500, a dropped connection.
 */
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { getOperation } from '../../src/spec/operations';
import { PAIR, type QaMock, qaMock, queryString, specViolations } from './support/qa-mock';

let mock: QaMock;
beforeEach(() => {
  mock = qaMock();
});
afterEach(() => mock.close());

function publishBody(sourceId: string) {
  return { customer: { source_id: sourceId }, campaign: { name: WELL_KNOWN.autoUpdateCampaignName } };
}

function publish(sourceId = 'scenario-customer') {
  return mock.api.post('/v1/publications').set(PAIR).send(publishBody(sourceId));
}

async function queue(scenario: Record<string, unknown>) {
  const res = await mock.api.post('/__mock/scenarios').send(scenario);
  expect(res.status).toBe(201);
  return res.body as { id: string; remaining: number; times: number };
}

async function listed() {
  const res = await mock.api.get('/__mock/scenarios');
  expect(res.status).toBe(200);
  return res.body.scenarios as Array<{ id: string; remaining: number; times: number }>;
}

describe('the next N matching requests get the fault, then real answers again', () => {
  it('times: 2 → two 500s, then a 200; GET lists what is left and drops a used-up scenario', async () => {
    const queued = await queue({
      method: 'POST',
      path: '/v1/publications',
      times: 2,
      fault: { type: 'server_error' },
      note: 'BUG-1',
    });
    expect(queued).toMatchObject({
      id: 'scn_1',
      method: 'POST',
      path: '/v1/publications',
      times: 2,
      remaining: 2,
      note: 'BUG-1',
      operation_id: 'createPublication',
    });
    expect((await publish()).status).toBe(500);
    expect((await listed()).map((s) => s.remaining)).toEqual([1]);
    const second = await publish();
    expect(second.status).toBe(500);
    expect(second.body).toMatchObject({
      code: 500,
      key: 'internal_error',
      details: 'Forced by scenario scn_1 (BUG-1)',
    });
    expect(await listed()).toEqual([]);
    expect((await publish()).status).toBe(200);
  });

  it('times defaults to 1', async () => {
    await queue({ method: 'post', path: '/v1/publications', fault: { type: 'server_error' } });
    expect((await publish()).status).toBe(500);
    expect((await publish()).status).toBe(200);
  });

  it('other operations are not touched and do not use the scenario up', async () => {
    await queue({ method: 'POST', path: '/v1/publications', fault: { type: 'server_error' } });
    expect((await mock.api.get('/v1/publications').set(PAIR)).status).toBe(200);
    expect((await listed())[0]?.remaining).toBe(1);
  });

  it('the first queued scenario that matches wins; one scenario per request', async () => {
    await queue({ method: 'POST', path: '/v1/publications', fault: { type: 'server_error' } });
    await queue({ method: 'POST', path: '/v1/publications', fault: { type: 'rate_limit' } });
    expect((await publish()).status).toBe(500);
    expect((await publish()).status).toBe(429);
    expect((await publish()).status).toBe(200);
  });
});

describe('faults', () => {
  const op = getOperation('createPublication');

  it.each<[string, Record<string, unknown>, number, (body: Record<string, unknown>) => void]>([
    [
      'a documented error by key → the spec example of that name',
      { type: 'error', key: 'voucher_already_published' },
      400,
      (b) =>
        expect(b.details).toBe(
          (op.responses.get(400)!.examples.voucher_already_published as { details: string }).details,
        ),
    ],
    [
      'a documented error by key found in an example body (not_found)',
      { type: 'error', key: 'not_found' },
      404,
      (b) => expect(b.resource_type).toBe('customer'),
    ],
    [
      'a documented error by status and example name',
      { type: 'error', status: 404, example: 'not_found_campaign' },
      404,
      (b) => expect(b.resource_id).toBe('No Such Campaign'),
    ],
    [
      'a documented error by status alone → its first example',
      { type: 'error', status: 401 },
      401,
      (b) => expect(b.key).toBe('unauthorized'),
    ],
    [
      'a key the operation does not document → a body from the error table',
      { type: 'error', key: 'page_over_limit' },
      400,
      (b) =>
        expect(b).toMatchObject({
          key: 'page_over_limit',
          message: 'Listing resource above 1000 page is not supported',
          details: 'Forced by scenario scn_1',
        }),
    ],
    ['server_error → 500 internal_error', { type: 'server_error' }, 500, (b) => expect(b.key).toBe('internal_error')],
  ])('%s', async (_name, fault, status, check) => {
    await queue({ method: 'POST', path: '/v1/publications', fault });
    const before = mock.snapshot();
    const res = await publish();
    expect(res.status).toBe(status);
    expect(res.body.request_id).toMatch(/^v-[0-9a-f]{18}$/);
    check(res.body as Record<string, unknown>);
    if (status !== 500 && fault.key !== 'page_over_limit') expect(specViolations('createPublication', res)).toEqual([]);
    // A forced answer runs no handler: nothing is published.
    expect(mock.snapshot()).toEqual(before);
  });

  it('rate_limit → the documented 429 with the Retry-After given', async () => {
    await queue({ method: 'GET', path: '/v1/publications', fault: { type: 'rate_limit', retry_after: 7 } });
    const res = await mock.api.get('/v1/publications').set(PAIR);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(specViolations('listPublications', res)).toEqual([]);
  });

  it('delay → the real answer (a publication is made), at least that much later', async () => {
    await queue({ method: 'POST', path: '/v1/publications', fault: { type: 'delay', ms: 250 } });
    const started = Date.now();
    const res = await publish();
    expect(Date.now() - started).toBeGreaterThanOrEqual(245);
    expect(res.status).toBe(200);
    expect(specViolations('createPublication', res)).toEqual([]);
  });

  it('drop → the connection is closed with no answer at all', async () => {
    await queue({ method: 'POST', path: '/v1/publications', fault: { type: 'drop' } });
    const before = mock.snapshot();
    await expect(publish()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(mock.snapshot()).toEqual(before);
    expect((await publish()).status).toBe(200);
  });

  it(
    'scenarios fire before credentials are looked at (a gateway fault), so ' + 'a request without them meets it too',
    async () => {
      await queue({ method: 'POST', path: '/v1/publications', fault: { type: 'rate_limit' } });
      const res = await mock.api.post('/v1/publications').send(publishBody('no-creds'));
      expect(res.status).toBe(429);
    },
  );
});

describe('matching a query or body field', () => {
  it('body field customer.source_id: only that customer gets the fault', async () => {
    await queue({
      method: 'POST',
      path: '/v1/publications',
      body: { 'customer.source_id': 'flaky' },
      fault: { type: 'server_error' },
    });
    expect((await publish('steady')).status).toBe(200);
    expect((await publish('flaky')).status).toBe(500);
    expect((await publish('flaky')).status).toBe(200);
  });

  it('body fields are compared strictly (a number is not its text)', async () => {
    await queue({
      method: 'POST',
      path: '/v1/publications',
      body: { 'campaign.count': 2 },
      fault: { type: 'server_error' },
    });
    const body = (count: number) => ({
      customer: { source_id: 'c' },
      campaign: { name: WELL_KNOWN.autoUpdateCampaignName, count },
    });
    expect((await mock.api.post('/v1/publications').set(PAIR).send(body(1))).status).toBe(200);
    expect((await mock.api.post('/v1/publications').set(PAIR).send(body(2))).status).toBe(500);
  });

  it.each([['customer[source_id]'], ['customer.source_id']])(
    'query field written %s matches the nested query parameter',
    async (field) => {
      await queue({
        method: 'GET',
        path: '/v1/publications/create',
        query: { [field]: 'flaky' },
        fault: { type: 'error', key: 'no_voucher_suitable_for_publication' },
      });
      const url = (sourceId: string) =>
        `/v1/publications/create?${queryString({
          customer: { source_id: sourceId },
          campaign: { name: WELL_KNOWN.exampleCampaignName },
        })}`;
      expect((await mock.api.get(url('steady')).set(PAIR)).status).toBe(200);
      const res = await mock.api.get(url('flaky')).set(PAIR);
      expect(res.status).toBe(400);
      expect(res.body.key).toBe('no_voucher_suitable_for_publication');
    },
  );

  it('the path is matched as Express routes it: any case, trailing slash', async () => {
    await queue({ method: 'GET', path: '/V1/Publications/', fault: { type: 'server_error' } });
    expect((await listed())[0]).toMatchObject({ method: 'GET', path: '/v1/publications' });
    expect((await mock.api.get('/v1/publications/').set(PAIR)).status).toBe(500);
  });
});

describe('GET / DELETE', () => {
  it('DELETE /__mock/scenarios clears the queue', async () => {
    await queue({ method: 'POST', path: '/v1/publications', fault: { type: 'server_error' } });
    await queue({ method: 'GET', path: '/v1/publications', fault: { type: 'server_error' } });
    const res = await mock.api.delete('/__mock/scenarios');
    expect(res.body).toEqual({ cleared: 2 });
    expect(await listed()).toEqual([]);
    expect((await publish()).status).toBe(200);
  });

  it('DELETE /__mock/scenarios/:id removes one; an unknown id → 404', async () => {
    const a = await queue({ method: 'POST', path: '/v1/publications', fault: { type: 'server_error' } });
    const b = await queue({ method: 'GET', path: '/v1/publications', fault: { type: 'server_error' } });
    expect((await mock.api.delete(`/__mock/scenarios/${a.id}`)).body).toEqual({ removed: a.id });
    expect((await listed()).map((s) => s.id)).toEqual([b.id]);
    const missing = await mock.api.delete('/__mock/scenarios/scn_99');
    expect(missing.status).toBe(404);
    expect(missing.body.key).toBe('not_found');
  });

  it('a reset clears the queue and numbers the next scenario scn_1 again', async () => {
    await queue({ method: 'POST', path: '/v1/publications', fault: { type: 'server_error' } });
    await queue({ method: 'POST', path: '/v1/publications', fault: { type: 'server_error' } });
    await mock.api.post('/__mock/reset');
    expect(await listed()).toEqual([]);
    expect((await queue({ method: 'POST', path: '/v1/publications', fault: { type: 'drop' } })).id).toBe('scn_1');
  });
});

describe('bad scenarios → 400 invalid_scenario naming what is wrong, and nothing is queued', () => {
  const valid = { method: 'POST', path: '/v1/publications', fault: { type: 'server_error' } };
  it.each<[string, unknown, RegExp]>([
    ['no fault', { method: 'POST', path: '/v1/publications' }, /Scenario should have required property 'fault'/],
    [
      'an unknown fault type',
      { ...valid, fault: { type: 'explode' } },
      /'fault.type' should be one of: "error", "rate_limit", "server_error", "drop", "delay"/,
    ],
    ['a delay without ms', { ...valid, fault: { type: 'delay' } }, /'fault' should have required property 'ms'/],
    ['a delay over a minute', { ...valid, fault: { type: 'delay', ms: 600000 } }, /'fault.ms' should be <= 60000/],
    [
      'an error naming nothing',
      { ...valid, fault: { type: 'error' } },
      /'fault' should NOT have fewer than 2 properties/,
    ],
    [
      'an error key nobody documents',
      { ...valid, fault: { type: 'error', key: 'nope' } },
      /documents no error with key "nope"; its examples by status: 200: one_voucher/,
    ],
    [
      'a status the operation does not document',
      { ...valid, fault: { type: 'error', status: 418 } },
      /does not document status 418; documented: 200, 400, 401, 404, 413, 429/,
    ],
    [
      'an example not under that status',
      { ...valid, fault: { type: 'error', status: 404, example: 'missing_vouchers' } },
      /no example "missing_vouchers" for status 404/,
    ],
    [
      'an error fault naming a success example',
      { ...valid, fault: { type: 'error', example: 'one_voucher' } },
      /example "one_voucher" is a 200 answer, not an error/,
    ],
    [
      'a path outside the API',
      { ...valid, path: '/v1/vouchers' },
      /POST \/v1\/vouchers is not an operation of the API; use one of GET \/v1\/publications\/create, GET \/v1\/publications, POST \/v1\/publications/,
    ],
    [
      'a method the path does not take',
      { ...valid, method: 'DELETE' },
      /DELETE \/v1\/publications is not an operation/,
    ],
    ['times: 0', { ...valid, times: 0 }, /'times' should be >= 1/],
    ['an unknown property', { ...valid, after: 3 }, /should NOT have additional property 'after'/],
    [
      'an object as a field value',
      { ...valid, body: { customer: { source_id: 'x' } } },
      /'body.customer' should be string,number,boolean,null/,
    ],
    [
      'a field value over 1000 characters',
      { ...valid, body: { 'customer.source_id': 'x'.repeat(1001) } },
      /'body.customer.source_id' should NOT have more than 1000 characters/,
    ],
    ['not an object', [valid], /Scenario should be object/],
  ])('%s', async (_name, body, details) => {
    const res = await mock.api.post('/__mock/scenarios').send(body as object);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, key: 'invalid_scenario', message: 'Invalid scenario' });
    expect(res.body.details).toMatch(details);
    expect(await listed()).toEqual([]);
  });

  it('malformed JSON', async () => {
    const res = await mock.api.post('/__mock/scenarios').set('Content-Type', 'application/json').send('{"method": ');
    expect(res.status).toBe(400);
    expect(res.body.key).toBe('invalid_scenario');
    expect(res.body.details).toMatch(/The scenario is not valid JSON/);
  });
});

describe('the queue is bounded in count and size: beyond, 409 scenario_queue_full and nothing is queued', () => {
  const scenario = (i: number, pad = 0) => ({
    method: 'GET',
    path: '/v1/publications',
    query: { customer: `c-${i}`, ...(pad ? { pad: 'x'.repeat(pad) } : {}) },
    fault: { type: 'server_error' },
  });

  // 5,000 scenarios of 50 KB were once accepted, and GET /__mock/scenarios then returned 253 MB.
  it('100 scenarios are taken; the 101st is refused; removing one makes room again', async () => {
    for (let i = 0; i < 100; i++) await queue(scenario(i));
    const refused = await mock.api.post('/__mock/scenarios').send(scenario(100));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 409, key: 'scenario_queue_full', message: 'Scenario queue full' });
    expect(refused.body.details).toMatch(/holds 100 scenarios, the most it takes/);
    expect(await listed()).toHaveLength(100);
    expect((await mock.api.delete('/__mock/scenarios/scn_1')).status).toBe(200);
    await queue(scenario(101));
  });

  it(
    'large scenarios (~20 K characters each): refused once the queue would ' +
      'pass 256 K characters; the listing stays within it',
    async () => {
      const big = {
        method: 'GET',
        path: '/v1/publications',
        query: Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`f${j}`, 'y'.repeat(1000)])),
        fault: { type: 'server_error' },
      };
      let queued = 0;
      let refused: { status: number; body: { key?: string; details?: string } } | undefined;
      for (let i = 0; i < 100 && !refused; i++) {
        const res = await mock.api.post('/__mock/scenarios').send(big);
        if (res.status === 201) queued++;
        else refused = res;
      }
      expect(refused?.status).toBe(409);
      expect(refused?.body.details).toMatch(/would pass its limit of 262144; remove some first/);
      expect(queued).toBe(Math.floor((256 * 1024) / JSON.stringify({ ...big, times: 1 }).length));
      const listing = await mock.api.get('/__mock/scenarios');
      expect(listing.text.length).toBeLessThan(300 * 1024);
    },
  );

  it('a used-up scenario frees its room', async () => {
    for (let i = 0; i < 100; i++) await queue({ ...scenario(i), times: 1 });
    await mock.api.get('/v1/publications?customer=c-0').set(PAIR);
    await queue(scenario(200));
  });
});
