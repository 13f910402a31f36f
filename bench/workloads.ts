/**
 * The single-request workloads of `npm run bench`, the same requests for every
 * server: a steady state (GET …/create with join_once for one customer: after
 * the first answer every request reads the same publication) and creates (POST
 * on the auto-update campaign: every request makes a new publication and
 * code). The third, mixed workload is a seeded list: bench/mixed-requests.ts.
 */
import { WELL_KNOWN } from '../src/fixtures/generate-fixtures';
import { CREDENTIALS } from './mixed-requests';

export interface Workload {
  id: 'steady' | 'creates';
  title: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const steadyQuery = new URLSearchParams({
  'customer[source_id]': 'bench-steady-customer',
  'campaign[name]': WELL_KNOWN.exampleCampaignName,
  join_once: 'true',
}).toString();

export const WORKLOADS: readonly Workload[] = [
  {
    id: 'steady',
    title: 'GET /v1/publications/create, join_once, one customer (steady state)',
    method: 'GET',
    path: `/v1/publications/create?${steadyQuery}`,
    headers: { ...CREDENTIALS },
  },
  {
    id: 'creates',
    title: 'POST /v1/publications on the auto-update campaign (a new publication each)',
    method: 'POST',
    path: '/v1/publications',
    headers: { ...CREDENTIALS, 'Content-Type': 'application/json' },
    body: JSON.stringify({ customer: { source_id: 'bench-creator' }, campaign: WELL_KNOWN.autoUpdateCampaignName }),
  },
];

export const STEADY = WORKLOADS[0]!;
export const CREATES = WORKLOADS[1]!;
