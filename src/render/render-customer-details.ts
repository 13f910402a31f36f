/**
 * A customer as `GET /v1/customers/{customerId}` answers it (CustomerDetails):
 * the short form a publication embeds plus `summary`, `loyalty` and
 * `referrals`, which the vendor requires here, in its example's property order.
 * The mock records no redemptions, orders or referrals, so those count 0; the
 * loyalty points are the balances of the loyalty cards the customer holds.
 */
import type { CustomerRecord } from '../domain/records';
import type { components } from '../spec/publications-api.generated';
import type { Store } from '../store/store';

type Schemas = components['schemas'];
type CustomerDetails = Schemas['CustomerDetails'];

/** The reads the details need. */
export type CustomerDetailsLookup = Pick<Store, 'listHeldLoyaltyCards' | 'getCampaign'>;

/** The address parts the spec documents: a stored address keeps whatever the request sent. */
const ADDRESS_PARTS = ['city', 'state', 'line_1', 'line_2', 'country', 'postal_code'] as const;

export function renderCustomerDetails(store: CustomerDetailsLookup, customer: CustomerRecord): CustomerDetails {
  const loyalty = loyaltyOf(store, customer.id);
  return {
    id: customer.id,
    ...(customer.source_id !== null ? { source_id: customer.source_id } : {}),
    ...(customer.name !== null ? { name: customer.name } : {}),
    ...(customer.description !== null ? { description: customer.description } : {}),
    ...(customer.email !== null ? { email: customer.email } : {}),
    ...(customer.phone !== null ? { phone: customer.phone } : {}),
    ...(customer.birthdate !== null ? { birthdate: customer.birthdate } : {}),
    address: renderAddress(customer.address),
    metadata: customer.metadata,
    summary: {
      redemptions: {
        total_redeemed: 0,
        total_failed: 0,
        total_succeeded: 0,
        total_rolled_back: 0,
        total_rollback_failed: 0,
        total_rollback_succeeded: 0,
        gift: { redeemed_amount: 0, amount_to_go: 0 },
        // The points still to redeem: all of them, since the mock redeems none (the vendor's example: equal to
        // loyalty.points).
        loyalty_card: { redeemed_points: 0, points_to_go: loyalty.points },
      },
      orders: { total_amount: 0, total_count: 0, average_amount: 0, last_order_amount: 0 },
    },
    loyalty,
    referrals: { total: 0, campaigns: [] },
    system_metadata: {},
    created_at: customer.created_at,
    ...(customer.updated_at !== null ? { updated_at: customer.updated_at } : {}),
    object: 'customer',
  };
}

function renderAddress(address: CustomerRecord['address']): Schemas['Address'] {
  if (address === null) return null;
  const parts: Record<string, string | null> = {};
  for (const part of ADDRESS_PARTS) if (address[part] !== undefined) parts[part] = address[part];
  return parts;
}

/** Points per campaign (by name) and in all: the balances of the cards the customer holds. */
function loyaltyOf(store: CustomerDetailsLookup, customerId: string): Schemas['CustomerLoyalty'] {
  let points = 0;
  // A Map, not an object: a campaign may be named `__proto__`.
  const campaigns = new Map<string, number>();
  const names = new Map<string, string | undefined>();
  for (const card of store.listHeldLoyaltyCards(customerId)) {
    const balance = card.loyalty_card?.balance ?? card.loyalty_card?.points ?? 0;
    points += balance;
    if (card.campaign_id === null) continue;
    if (!names.has(card.campaign_id)) names.set(card.campaign_id, store.getCampaign(card.campaign_id)?.name);
    const name = names.get(card.campaign_id);
    if (name === undefined) continue;
    campaigns.set(name, (campaigns.get(name) ?? 0) + balance);
  }
  const byName = Object.fromEntries(
    [...campaigns].map(([name, sum]) => [name, { points: sum, referred_customers: 0 }]),
  );
  return { points, referred_customers: 0, campaigns: byName };
}
