/**
 * The official JS SDK, pointed at the mock on a real port, creates and lists
 * publications: what a front-end or Node team does when developing offline.
 */
import { VoucherifyServerSide } from '@voucherify/sdk';
import { WELL_KNOWN } from '../mocks/generate-fixtures';
import { type RunningMock, startMock } from '../src/server';

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ port: 0, strict: true, now: '2026-11-26T12:00:00.000Z' });
});
afterAll(async () => {
  await mock.close();
});

const client = () => VoucherifyServerSide({ applicationId: 'sdk-app', secretKey: 'sdk-secret', apiUrl: mock.url });

describe('@voucherify/sdk against the mock', () => {
  it('distributions.publications.create publishes a code from a campaign', async () => {
    const publication = await client().distributions.publications.create({
      customer: { source_id: 'sdk-customer-1', name: 'Sam Dee', email: 'sam@example.com' },
      campaign: { name: WELL_KNOWN.percentCampaignName },
    });
    expect(publication).toMatchObject({ object: 'publication', result: 'SUCCESS', tracking_id: 'sdk-customer-1', voucher: { campaign: WELL_KNOWN.percentCampaignName } });
  });

  it('distributions.publications.list finds it again, filtered by customer', async () => {
    const created = await client().distributions.publications.create({ customer: { source_id: 'sdk-customer-2' }, campaign: { name: WELL_KNOWN.giftCampaignName } });
    const listed = await client().distributions.publications.list({ customer: created.customer_id, limit: 5 });
    expect(listed.total).toBe(1);
    expect(listed.publications?.[0]?.id).toBe(created.id);
  });

  it('an error reaches the SDK as a VoucherifyError with the documented key', async () => {
    await expect(client().distributions.publications.create({ customer: { source_id: 'sdk-customer-3' } } as never)).rejects.toMatchObject({ code: 400, key: 'missing_vouchers' });
  });
});
