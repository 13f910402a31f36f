/**
 * Fills a data file for `npm run bench:scale` through the Store (not HTTP): the
 * default world first, as the CLI would make it, then `count` publications of
 * the auto-update campaign, each with its own published voucher, spread over
 * count / 10 customers, in transactions of 10,000. Deterministic: the same
 * count gives the same file.
 */
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { voucherFromCampaign } from '../src/domain/voucher-from-campaign';
import { createMockState } from '../src/app/server';

/** Publications per customer on average: a filtered list has a few pages to order. */
export const PUBLICATIONS_PER_CUSTOMER = 10;
const BATCH = 10_000;
/** Publications are dated a second apart, ending before the bench's own creates. */
const FIRST_CREATED_MS = Date.parse('2024-01-01T00:00:00.000Z');

export interface LoadedFile {
  count: number;
  customers: number;
  /** Ids of a sample of the loaded customers, for filtered lists. */
  sampleCustomerIds: string[];
  loadMs: number;
}

/** An id of the API's shape (`prefix` + base-62 digits), unique per number. */
function idOf(prefix: string, n: number, length: number): string {
  const digits = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let out = '';
  for (let rest = n; out.length < length; rest = Math.floor(rest / 62)) out = digits[rest % 62]! + out;
  return `${prefix}${out}`;
}

export async function loadPublications(
  file: string,
  count: number,
  onProgress?: (done: number) => void,
): Promise<LoadedFile> {
  const started = process.hrtime.bigint();
  const state = createMockState({ data: file });
  try {
    await state.initialize();
    const { store } = state;
    const campaign = store.findCampaignByName(WELL_KNOWN.autoUpdateCampaignName);
    if (!campaign) throw new Error(`no campaign named ${WELL_KNOWN.autoUpdateCampaignName} in the default world`);
    const customers = Math.max(1, Math.ceil(count / PUBLICATIONS_PER_CUSTOMER));
    const sampleEvery = Math.max(1, Math.floor(customers / 1000));
    const sampleCustomerIds: string[] = [];
    const customerId = (c: number): string => idOf('cust_scale', c, 14);

    for (let from = 0; from < Math.max(count, customers); from += BATCH) {
      store.transaction(() => {
        for (let i = from; i < Math.min(from + BATCH, Math.max(count, customers)); i++) {
          const created = new Date(FIRST_CREATED_MS + i * 1000).toISOString();
          if (i < customers) {
            store.insertCustomer({
              id: customerId(i),
              source_id: `scale-customer-${i}`,
              name: null,
              email: null,
              phone: null,
              description: null,
              birthdate: null,
              address: null,
              metadata: {},
              created_at: created,
              updated_at: null,
            });
            if (i % sampleEvery === 0) sampleCustomerIds.push(customerId(i));
          }
          if (i >= count) continue;
          // Round-robin: every customer's publications are spread over the whole history.
          const holder = customerId(i % customers);
          const voucher = voucherFromCampaign(campaign, {
            id: idOf('v_scale', i, 26),
            code: `SCALE-${idOf('', i, 8)}`,
            created_at: created,
          });
          store.insertVoucher({ ...voucher, holder_id: holder, publish_count: 1, updated_at: created });
          store.insertPublication({
            id: idOf('pub_scale', i, 28),
            created_at: created,
            customer_id: holder,
            tracking_id: `scale-customer-${i % customers}`,
            metadata: {},
            channel: 'API',
            source_id: null,
            result: 'SUCCESS',
            campaign_id: campaign.id,
            voucher_ids: [voucher.id],
            multiple: false,
            failure_code: null,
            failure_message: null,
          });
        }
      });
      onProgress?.(Math.min(from + BATCH, count));
    }
    return { count, customers, sampleCustomerIds, loadMs: Number(process.hrtime.bigint() - started) / 1e6 };
  } finally {
    state.store.close();
  }
}
