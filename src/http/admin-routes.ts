/**
 * QA hooks under /__mock/: reset to the starting world, and a look at the
 * campaigns with what is left in each pool.
 */
import { Router } from 'express';
import type { MockState } from '../state/mock-state';

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

export function campaignOverview(state: MockState): CampaignOverview[] {
  return state.store.listCampaigns().map((c) => {
    const stock = state.store.campaignStock(c.id);
    return {
      id: c.id,
      name: c.name,
      type: c.type,
      auto_update: c.auto_update,
      is_referral: c.is_referral,
      active: c.active,
      vouchers_total: stock.total,
      vouchers_remaining: stock.publishable,
    };
  });
}

export function adminRoutes(state: MockState): Router {
  const router = Router();

  router.post('/__mock/reset', function resetMock(_req, res) {
    state.reset();
    res.json({ reset: true, seed: state.seed });
  });

  router.get('/__mock/campaigns', function listMockCampaigns(_req, res) {
    res.json({ object: 'list', data_ref: 'campaigns', campaigns: campaignOverview(state) });
  });

  return router;
}
