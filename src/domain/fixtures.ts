/**
 * The world the mock starts from: what `src/fixtures/` produces (from a seed, or from a
 * user's fixture file) and what the store is filled with on start and reset.
 */
import type { CampaignRecord, CustomerRecord, VoucherRecord } from './records';

export type MetadataPropertyType = 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface Fixtures {
  campaigns: CampaignRecord[];
  vouchers: VoucherRecord[];
  customers: CustomerRecord[];
  /**
   * Types of known publication metadata properties. A publication whose metadata
   * has one of these with another type is refused with `metadata_validation_failed`;
   * query-string values ("2022") are converted to the type first.
   */
  publication_metadata: Record<string, MetadataPropertyType>;
  /** Integration key pairs for `GET /v1/publications/create`; when empty, every non-empty pair is accepted. */
  integration_keys: Array<{ app_id: string; app_token: string }>;
  /** Client-side key pairs for `POST /client/v1/publish`; when empty, every non-empty pair is accepted. */
  client_keys: ClientKey[];
}

/** A client-side key pair (the browser SDK's) and the origins it may be used from. */
export interface ClientKey {
  app_id: string;
  app_token: string;
  /** Origins (`https://shop.example`) the key is accepted from; absent or empty, every origin. */
  allowed_origins?: string[];
}
