/**
 * A create's answer is rendered from the records the rules just read or wrote
 * instead of reading them back: it must be byte for byte the answer rendered
 * from the store, on every path through the rules.
 */
import { WELL_KNOWN } from '../fixtures/generate-fixtures';
import { type Published, type PublishRequest, checkPublishRequest, publish } from '../rules/publish';
import { ApiError } from '../domain/api-error';
import { createMockState } from '../app/server';
import type { MockState } from '../app/mock-state';
import { renderCreated, renderList, renderListed } from './render-publication';

let state: MockState;
beforeEach(async () => {
  state = createMockState({ now: '2026-11-26T12:00:00.000Z', seed: 3 });
  await state.initialize();
});
afterEach(() => state.store.close());

/** Publishes in one transaction of the state's store, as the operation handlers do. */
const publishOnce = async (request: PublishRequest): Promise<Published> => {
  const checked = checkPublishRequest(state.fixtures.publication_metadata, request);
  const published = await state.data.transaction((tx) =>
    publish({ store: tx, clock: state.clock, ids: state.ids, publicationMetadata: {} }, checked),
  );
  if (published instanceof ApiError) throw published;
  return published;
};
const BASE = 'http://mock.test';

const requests: Array<[string, PublishRequest]> = [
  [
    'a new code of an auto-update campaign',
    {
      via: 'body',
      customer: { source_id: 'r1', name: 'Rita', metadata: { tier: 'gold' } },
      campaign: WELL_KNOWN.autoUpdateCampaignName,
    },
  ],
  [
    'a code from a pool, by query',
    { via: 'query', customer: { source_id: 'r2' }, campaign: { name: WELL_KNOWN.percentCampaignName } },
  ],
  [
    'a named voucher without a campaign',
    { via: 'body', customer: { source_id: 'r3' }, voucher: WELL_KNOWN.standaloneCode },
  ],
  [
    'several codes at once',
    { via: 'body', customer: { source_id: 'r4' }, campaign: { name: WELL_KNOWN.giftCampaignName, count: 3 } },
  ],
  [
    'an existing customer, by id',
    {
      via: 'body',
      customer: { id: WELL_KNOWN.exampleCustomerId },
      campaign: WELL_KNOWN.loyaltyCampaignName,
      metadata: { note: 'x' },
    },
  ],
  [
    'an existing customer updated by source_id',
    {
      via: 'body',
      customer: { source_id: WELL_KNOWN.exampleCustomerSourceId, email: 'new@example.com', metadata: { extra: 1 } },
      campaign: WELL_KNOWN.referralCampaignName,
    },
  ],
];

describe("renderCreated from the rules' records = from the store", () => {
  it.each(requests)('%s', async (_name, request) => {
    const first = await publishOnce(request);
    const reads = [jest.spyOn(state.store, 'getCustomer'), jest.spyOn(state.store, 'getVoucher')];
    const fromRules = JSON.stringify(renderCreated({ store: state.store, baseUrl: BASE }, first.publication, first));
    // Nothing read back: the customer and the vouchers came from the rules.
    expect(reads.map((spy) => spy.mock.calls.length)).toEqual([0, 0]);
    expect(fromRules).toBe(JSON.stringify(renderCreated({ store: state.store, baseUrl: BASE }, first.publication)));
  });

  it.each([
    [
      'a join_once repeat',
      {
        via: 'query',
        customer: { source_id: 'j1' },
        campaign: { name: WELL_KNOWN.exampleCampaignName },
        join_once: true,
      },
    ],
    [
      'a source_id retry',
      { via: 'body', customer: { source_id: 's1' }, campaign: WELL_KNOWN.autoUpdateCampaignName, source_id: 'order-1' },
    ],
  ] as Array<[string, PublishRequest]>)('%s', async (_name, request) => {
    await publishOnce(request);
    const again = await publishOnce(request);
    expect(again.vouchers).toBeUndefined();
    expect(JSON.stringify(renderCreated({ store: state.store, baseUrl: BASE }, again.publication, again))).toBe(
      JSON.stringify(renderCreated({ store: state.store, baseUrl: BASE }, again.publication)),
    );
  });

  it("records that are not the publication's are ignored, not rendered", async () => {
    const a = await publishOnce(requests[0]![1]);
    const b = await publishOnce(requests[1]![1]);
    expect(JSON.stringify(renderCreated({ store: state.store, baseUrl: BASE }, a.publication, b))).toBe(
      JSON.stringify(renderCreated({ store: state.store, baseUrl: BASE }, a.publication)),
    );
  });
});

describe('renderList', () => {
  it('renders a page exactly as renderListed renders each item', async () => {
    for (const [, request] of requests) await publishOnce(request);
    const { publications } = state.store.listPublications({
      must: [],
      filters: [],
      junction: 'and',
      order: { field: 'created_at', direction: 'desc' },
      limit: 100,
      offset: 0,
    });
    expect(publications.length).toBeGreaterThan(5);
    const ctx = { store: state.store, baseUrl: BASE };
    expect(JSON.stringify(renderList(ctx, publications))).toBe(
      JSON.stringify(publications.map((p) => renderListed(ctx, p))),
    );
  });
});
