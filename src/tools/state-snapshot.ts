/**
 * State snapshots: everything the mock holds as one JSON file, so QA can
 * attach the exact state to a bug report and anyone can load it. The format
 * has a name and a version; a restore checks the whole file first (a
 * schema derived from the store's record declarations, then references between records), then replaces the
 * store in one transaction: on any error nothing changes. Counters are part
 * of it, so the ids and codes made after a restore are the ones the original
 * would have made next.
 */
import { readFixtureFileSchema } from '../fixtures/fixture-file-schema';
import { codeConfigProblem } from '../domain/make-code';
import { ApiError } from '../domain/api-error';
import { findLoneSurrogate } from '../api/refuse-lone-surrogates';
import { ID_KINDS, idAt } from '../runtime/id-source';
import type { MockState } from '../app/mock-state';
import type { StoreSnapshot } from '../store/store';
import { CAMPAIGNS, CUSTOMERS, PUBLICATIONS, VOUCHERS } from '../store/record-tables';
import { makeSnapshotRecordSchema } from '../store/snapshot-schemas';
import { compileMockFormat } from './mock-format';

export const SNAPSHOT_FORMAT = 'voucherify-publications-mock/state';
export const SNAPSHOT_VERSION = 1;

export interface StateSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  exported_at: string;
  /** The seed ids are drawn with: a snapshot is restored into a mock running the same seed. */
  seed: number;
  state: StoreSnapshot;
}

const str = { type: 'string' };
// Fields that drive work are bounded as the fixture file bounds them (one definition): making a code, drawing an image
// of it.
const { codeConfig, code } = readFixtureFileSchema().$defs;
const SHARED = { code: code ?? {}, codeConfig: codeConfig ?? {} };
/** Counters stay well inside exact integers (and SQLite's): a counter is incremented, and 1e308 + 1 is 1e308. */
export const MAX_SEQUENCE = 2 ** 48;

/** The records' schemas follow from the store's table declarations (src/store/record-tables.ts). */
const SNAPSHOT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'version', 'seed', 'state'],
  properties: {
    format: { const: SNAPSHOT_FORMAT },
    version: { const: SNAPSHOT_VERSION },
    exported_at: str,
    seed: { type: 'integer', minimum: 0 },
    state: {
      type: 'object',
      additionalProperties: false,
      required: ['campaigns', 'vouchers', 'customers', 'publications', 'sequences', 'meta'],
      properties: {
        campaigns: { type: 'array', items: makeSnapshotRecordSchema(CAMPAIGNS, SHARED) },
        vouchers: { type: 'array', items: makeSnapshotRecordSchema(VOUCHERS, SHARED) },
        customers: { type: 'array', items: makeSnapshotRecordSchema(CUSTOMERS, SHARED) },
        publications: { type: 'array', items: makeSnapshotRecordSchema(PUBLICATIONS, SHARED) },
        sequences: {
          type: 'object',
          maxProperties: 32,
          propertyNames: { pattern: '^[a-z][a-z0-9_]{0,39}$' },
          additionalProperties: { type: 'integer', minimum: 0, maximum: MAX_SEQUENCE },
        },
        meta: { type: 'object', additionalProperties: str },
      },
    },
  },
};

const checkShape = compileMockFormat<StateSnapshot>(SNAPSHOT_SCHEMA, 'invalid_snapshot', 'Snapshot');

function invalid(details: string): ApiError {
  return new ApiError('invalid_snapshot', `Snapshot: ${details}`);
}

function unique(table: string, field: string, values: Array<string | null>): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (value === null) continue;
    if (seen.has(value)) throw invalid(`two ${table} have ${field} ${JSON.stringify(value)}`);
    seen.add(value);
  }
}

/** References between records, checked before the store is touched, with messages naming the record. */
function checkReferences(snapshot: StoreSnapshot): void {
  unique(
    'campaigns',
    'id',
    snapshot.campaigns.map((c) => c.id),
  );
  unique(
    'vouchers',
    'id',
    snapshot.vouchers.map((v) => v.id),
  );
  unique(
    'vouchers',
    'code',
    snapshot.vouchers.map((v) => v.code),
  );
  unique(
    'customers',
    'id',
    snapshot.customers.map((c) => c.id),
  );
  unique(
    'customers',
    'source_id',
    snapshot.customers.map((c) => c.source_id),
  );
  unique(
    'publications',
    'id',
    snapshot.publications.map((p) => p.id),
  );
  const campaigns = new Set(snapshot.campaigns.map((c) => c.id));
  const vouchers = new Set(snapshot.vouchers.map((v) => v.id));
  const customers = new Set(snapshot.customers.map((c) => c.id));
  for (const v of snapshot.vouchers) {
    if (v.campaign_id !== null && !campaigns.has(v.campaign_id))
      throw invalid(`voucher ${v.id} names campaign ${v.campaign_id}, which is not in the snapshot`);
    if (v.holder_id !== null && !customers.has(v.holder_id))
      throw invalid(`voucher ${v.id} is held by customer ${v.holder_id}, who is not in the snapshot`);
  }
  for (const p of snapshot.publications) {
    if (!customers.has(p.customer_id))
      throw invalid(`publication ${p.id} names customer ${p.customer_id}, who is not in the snapshot`);
    if (p.campaign_id !== null && !campaigns.has(p.campaign_id))
      throw invalid(`publication ${p.id} names campaign ${p.campaign_id}, which is not in the snapshot`);
    const missing = p.voucher_ids.find((v) => !vouchers.has(v));
    if (missing !== undefined)
      throw invalid(`publication ${p.id} names voucher ${missing}, which is not in the snapshot`);
    if (p.result === 'SUCCESS' && p.voucher_ids.length === 0)
      throw invalid(`publication ${p.id} succeeded but names no voucher`);
  }
}

/**
 * What the shape cannot say, checked before anything is restored, so that the
 * next create cannot fail on what the snapshot holds: code configs the mock
 * can draw from, and counters past the ids the records already use. A counter
 * too low would make the next id one that is taken (a 500 on every create).
 */
function checkConsistency(snapshot: StoreSnapshot, seed: number): void {
  snapshot.campaigns.forEach((campaign, i) => {
    const problem = codeConfigProblem(campaign.code_config);
    if (problem) throw invalid(`property 'state.campaigns.${i}.code_config.${problem.field}' ${problem.message}`);
  });
  const { sequences } = snapshot;
  // Every publication, success or failure, was given the id of one draw.
  const publications = snapshot.publications.length;
  if ((sequences.publication ?? 0) < publications) {
    throw invalid(
      `property 'state.sequences.publication' is ` +
        `${sequences.publication ?? 'missing'}, but the snapshot holds ` +
        `${publications} publication${publications === 1 ? '' : 's'}, each of ` +
        `which used one; it should be at least ${publications}`,
    );
  }
  const taken = {
    publication: new Set(snapshot.publications.map((p) => p.id)),
    customer: new Set(snapshot.customers.map((c) => c.id)),
    voucher: new Set(snapshot.vouchers.map((v) => v.id)),
  };
  for (const kind of ID_KINDS) {
    const next = idAt(seed, kind, (sequences[kind] ?? 0) + 1);
    if (taken[kind].has(next)) {
      throw invalid(
        `property 'state.sequences.${kind}' is ` +
          `${sequences[kind] ?? 'missing'}: the next ${kind} id it gives, ` +
          `${next}, is one the snapshot's records already use; it should be the ` +
          `counter the snapshot was exported with`,
      );
    }
  }
}

export async function exportSnapshot(state: MockState): Promise<StateSnapshot> {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    exported_at: state.clock.nowIso(),
    seed: state.seed,
    state: await state.data.transaction((tx) => tx.exportState(), { readOnly: true }),
  };
}

/**
 * Validates `input` fully, then replaces the state with it; throws `invalid_snapshot` (and changes nothing) when it is
 * not a restorable snapshot.
 */
export async function restoreSnapshot(state: MockState, input: unknown): Promise<StateSnapshot> {
  if (
    input !== null &&
    typeof input === 'object' &&
    'version' in input &&
    input.version !== SNAPSHOT_VERSION &&
    'format' in input &&
    input.format === SNAPSHOT_FORMAT
  ) {
    throw invalid(
      `format version ${JSON.stringify(input.version)} is not one this mock reads (version ${SNAPSHOT_VERSION})`,
    );
  }
  if (input !== null && typeof input === 'object' && 'too_large_to_restore' in input) {
    throw invalid(
      `this export says it is too large to restore ` +
        `(${JSON.stringify(input.too_large_to_restore)}): the mock that made ` +
        `it held more than its restore limit`,
    );
  }
  const snapshot = checkShape(input);
  // SQLite keeps text as UTF-8: a lone surrogate would come back as U+FFFD, not as the snapshot had it.
  const lone = findLoneSurrogate(snapshot);
  if (lone)
    throw invalid(
      `property '${lone.path}' holds a lone UTF-16 surrogate (${lone.surrogate}), which the store cannot keep as it is`,
    );
  if (snapshot.seed !== state.seed) {
    throw invalid(
      `it was made by a mock running seed ${snapshot.seed}, this one runs ` +
        `seed ${state.seed}; start the mock with --seed ${snapshot.seed} so ` +
        `ids continue as they did`,
    );
  }
  checkReferences(snapshot.state);
  checkConsistency(snapshot.state, snapshot.seed);
  try {
    // One transaction on either engine: on any error nothing changes.
    await state.data.transaction(async (tx) => {
      await tx.importState(snapshot.state);
      // The world now held is this mock's to reset from: a restart on its data file must not refuse it.
      await state.markOrigin(tx);
      // The store must say which seed filled it, or a restart on a data file would fill it again.
      if ((await state.storedSeed(tx)) !== state.seed)
        throw invalid(`meta.initialized_with_seed should be "${state.seed}"`);
    });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // A constraint the checks above did not foresee: still the snapshot's fault, and rolled back.
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  return snapshot;
}
