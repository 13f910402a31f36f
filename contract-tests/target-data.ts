/**
 * What the target's data holds: the few names and codes the behaviour checks
 * need to address (a campaign to publish from, a publishable voucher code, an
 * existing customer). Defaults are the mock's default world; a staging run
 * passes its own through flags or a config file.
 *
 * The values below are fixed by the documentation's examples, and the mock's
 * fixtures export the same ones as `WELL_KNOWN` (`src/fixtures/generate-fixtures.ts`).
 * They are restated here rather than imported on purpose: the suite runs
 * against staging too, and importing the fixture generator would load faker
 * and the mock's domain into every run. mock-target.test.ts pins the two
 * together, so they cannot drift apart.
 */

export interface TargetData {
  /** A campaign, by name or id, that never runs dry (auto-update): every behaviour check publishes from it. */
  campaign: string;
  /** A voucher code that was publishable when the target was seeded; an earlier run may have published it since. */
  voucher: string;
  /** The id of a customer that exists on the target (`cust_…`). */
  customerId: string;
}

/** The mock's default world, as the documentation's examples name it. */
export const MOCK_WORLD = {
  /** Auto-updates: never runs dry. */
  campaign: 'Test - Discount Effect - Amount - Items',
  voucher: 'cEsMn0uA',
  customerSourceId: 'pub_source_customer_5',
  customerId: 'cust_BB6F97yf0XqCe7hxVUV7M4sS',
  /** A campaign of five codes, no auto-update. */
  fixedCampaign: 'Flash Sale 5 Codes',
  /** A code that is published already when the mock starts. */
  alreadyPublishedCode: 'ALREADY-PUBLISHED',
} as const;

export const DEFAULT_TARGET_DATA: Readonly<TargetData> = Object.freeze({
  campaign: MOCK_WORLD.campaign,
  voucher: MOCK_WORLD.voucher,
  customerId: MOCK_WORLD.customerId,
});

export const TARGET_DATA_KEYS: ReadonlyArray<keyof TargetData> = ['campaign', 'voucher', 'customerId'];

/** The flag that sets each entry, as messages name it. */
export const TARGET_DATA_FLAGS: Readonly<Record<keyof TargetData, string>> = Object.freeze({
  campaign: '--campaign',
  voucher: '--voucher',
  customerId: '--customer-id',
});

/** Where an entry came from: a flag (or the `data` option of `runContract`), a `--config` file, or the default. */
export type DataOrigin = { kind: 'flag' } | { kind: 'file'; file: string } | { kind: 'default' };

/**
 * One line that names a bad setting the way the user gave it, and what is wrong
 * with it: `--customer-id cust_X: the target has no such customer (404 not_found)`.
 */
export function describeBadSetting(key: keyof TargetData, raw: string, origin: DataOrigin, problem: string): string {
  const flag = TARGET_DATA_FLAGS[key];
  // Quoted when it holds control characters, so the message stays one line whatever was configured.
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  const value = /[\u0000-\u001f\u007f]/.test(raw) ? JSON.stringify(raw) : raw;
  switch (origin.kind) {
    case 'file':
      return `${key} ${value} (from --config ${origin.file}): ${problem}`;
    case 'default':
      return `${flag} ${value} (not set, so the mock's default): ${problem}; set ${flag} or ${key} in --config`;
    default:
      return `${flag} ${value}: ${problem}`;
  }
}
