/**
 * What the dashboard shows at a glance (`GET /__mock/overview`): each campaign
 * with the codes it has left, the newest publications (code, customer, time),
 * the newest customers, the scenario queue, and the journal's size.
 */
import type { CustomerRecord } from '../domain/records';
import type { MockState } from '../app/mock-state';
import type { StoreTransaction } from '../store/async-store';
import type { QaTools } from './qa-tools';
import type { Scenario } from './scenario-queue';

export interface CampaignOverview {
  id: string;
  name: string;
  type: string;
  auto_update: boolean;
  is_referral: boolean;
  active: boolean;
  vouchers_total: number;
  vouchers_remaining: number;
}

export interface CustomerSummary {
  id: string;
  source_id: string | null;
  name: string | null;
  email: string | null;
  created_at: string;
}

export interface PublicationSummary {
  id: string;
  created_at: string;
  result: 'SUCCESS' | 'FAILURE';
  channel: string;
  campaign: string | null;
  codes: string[];
  customer: CustomerSummary | null;
  failure_code: string | null;
}

export interface Overview {
  seed: number;
  now: string;
  admin_token_required: boolean;
  campaigns: CampaignOverview[];
  publications: { total: number; recent: PublicationSummary[] };
  customers: { recent: CustomerSummary[] };
  scenarios: Scenario[];
  journal: { size: number; capacity: number };
}

/** How many publications and customers the overview lists. */
export const RECENT = 50;

export function campaignOverview(state: MockState): Promise<CampaignOverview[]> {
  return state.data.transaction((tx) => campaignsIn(tx), { readOnly: true });
}

async function campaignsIn(tx: StoreTransaction): Promise<CampaignOverview[]> {
  const out: CampaignOverview[] = [];
  for (const c of await tx.listCampaigns()) {
    const stock = await tx.campaignStock(c.id);
    out.push({
      id: c.id,
      name: c.name,
      type: c.type,
      auto_update: c.auto_update,
      is_referral: c.is_referral,
      active: c.active,
      vouchers_total: stock.total,
      vouchers_remaining: stock.publishable,
    });
  }
  return out;
}

function summarizeCustomer(customer: CustomerRecord): CustomerSummary {
  return {
    id: customer.id,
    source_id: customer.source_id,
    name: customer.name,
    email: customer.email,
    created_at: customer.created_at,
  };
}

export function buildOverview(state: MockState, qa: QaTools, adminTokenRequired: boolean): Promise<Overview> {
  // One read transaction: the campaigns, publications and customers are seen at one moment.
  return state.data.transaction(
    async (tx) => {
      const { publications, total } = await tx.listPublications({
        must: [],
        filters: [],
        junction: 'and',
        order: { field: 'created_at', direction: 'desc' },
        limit: RECENT,
        offset: 0,
      });
      const campaignNames = new Map<string, string>();
      const recent: PublicationSummary[] = [];
      for (const p of publications) {
        let campaign: string | null = null;
        if (p.campaign_id !== null) {
          campaign = campaignNames.get(p.campaign_id) ?? (await tx.getCampaign(p.campaign_id))?.name ?? null;
          if (campaign !== null) campaignNames.set(p.campaign_id, campaign);
        }
        const customer = await tx.getCustomer(p.customer_id);
        const codes: string[] = [];
        for (const id of p.voucher_ids) codes.push((await tx.getVoucher(id))?.code ?? id);
        recent.push({
          id: p.id,
          created_at: p.created_at,
          result: p.result,
          channel: p.channel,
          campaign,
          codes,
          customer: customer ? summarizeCustomer(customer) : null,
          failure_code: p.failure_code,
        });
      }
      return {
        seed: state.seed,
        now: state.clock.nowIso(),
        admin_token_required: adminTokenRequired,
        campaigns: await campaignsIn(tx),
        publications: { total, recent },
        customers: { recent: (await tx.listCustomers(RECENT)).map(summarizeCustomer) },
        scenarios: qa.scenarios.list(),
        journal: { size: qa.journal.size, capacity: qa.journal.capacity },
      };
    },
    { readOnly: true },
  );
}
