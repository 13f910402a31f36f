/**
 * The store's share of a filtered list at size: N publications (and their vouchers and links) written straight
 * into a store file with SQL (seconds, not the minutes `npm run bench:scale` spends creating them through the
 * Store), then `listPublications` (count and first page, default order) timed for each documented filter,
 * sequentially in this process: p50 and p99 per filter. What it leaves out is the HTTP and rendering share, which
 * `npm run bench:scale` measures for the customer filter.
 *
 * Usage: node dist/bench/filter-latency.js [<publications, default 1000000>] [<lists per filter, default 200>]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/store/sqlite-store';
import type { Condition, PublicationQuery } from '../src/store/store';

const count = Number(process.argv[2] ?? 1_000_000);
const lists = Number(process.argv[3] ?? 200);
const CUSTOMERS = Math.max(1, Math.floor(count / 10));
/** One publication in this many failed (failure_code set, no voucher). */
const FAILURE_EVERY = 50;
/** One in this many was made with a source_id. */
const SOURCE_ID_EVERY = 4;

function fill(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    db.exec(`
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
INSERT INTO vouchers (id, code, campaign_id, type, discount, active, metadata, is_referral_code, holder_id,
  publish_count, redeemed_quantity, created_at)
SELECT printf('v_%08d', i), printf('CODE-%08d', i), printf('camp_%d', i % 20), 'DISCOUNT_VOUCHER',
  '{"type":"AMOUNT","amount_off":100}', 1, '{}', i % 10 = 0, printf('cust_%08d', i % ${CUSTOMERS}), 1, 0,
  printf('2026-01-01T00:%02d:%02d.000Z', (i / 60) % 60, i % 60) FROM n;`);
    db.exec(`
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
INSERT INTO publications (id, created_at, customer_id, tracking_id, metadata, channel, source_id, result,
  campaign_id, multiple, failure_code, failure_message, campaign_name, voucher_code, voucher_type, is_referral_code)
SELECT printf('pub_%08d', i), printf('2026-01-01T%02d:%02d:%02d.000Z', (i / 3600) % 24, (i / 60) % 60, i % 60),
  printf('cust_%08d', i % ${CUSTOMERS}), NULL, '{}', 'API',
  CASE WHEN i % ${SOURCE_ID_EVERY} = 0 THEN printf('order-%08d', i) END,
  CASE WHEN i % ${FAILURE_EVERY} = 0 THEN 'FAILURE' ELSE 'SUCCESS' END, printf('camp_%d', i % 20), 0,
  CASE WHEN i % ${FAILURE_EVERY} = 0 THEN 'no_voucher_suitable_for_publication' END, NULL,
  printf('Campaign %d', i % 20), printf('CODE-%08d', i), 'discount', i % 10 = 0 FROM n;`);
    db.exec(`
INSERT INTO publication_vouchers (publication_id, voucher_id, position)
SELECT printf('pub_%08d', seq), printf('v_%08d', seq), 0 FROM publications WHERE result = 'SUCCESS';`);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function query(condition: Condition, where: 'must' | 'filters'): PublicationQuery {
  return {
    must: where === 'must' ? [condition] : [],
    filters: where === 'filters' ? [condition] : [],
    junction: 'and',
    order: { field: 'created_at', direction: 'desc' },
    limit: 10,
    offset: 0,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

function measure(): void {
  const dir = mkdtempSync(join(tmpdir(), 'filter-latency-'));
  const file = join(dir, 'store.db');
  try {
    // The schema (and its indexes) as the store makes it, then the rows.
    openSqliteStore({ file }).close();
    const filled = process.hrtime.bigint();
    fill(file);
    console.log(
      `filled ${count.toLocaleString('en')} publications in ${Number(process.hrtime.bigint() - filled) / 1e9} s`,
    );
    const store = openSqliteStore({ file });
    const customer = (i: number): string => `cust_${String((i * 7919) % CUSTOMERS).padStart(8, '0')}`;
    const pick = (i: number, every = 1): string => String(((i * 7919) % Math.floor(count / every)) * every + every);
    const filters: Array<[string, (i: number) => PublicationQuery]> = [
      ['customer', (i) => query({ field: 'customer_id', op: '$is', value: customer(i) }, 'must')],
      ['filters[customer_id]', (i) => query({ field: 'customer_id', op: '$is', value: customer(i) }, 'filters')],
      [
        'filters[source_id]',
        (i) =>
          query(
            { field: 'source_id', op: '$is', value: `order-${pick(i, SOURCE_ID_EVERY).padStart(8, '0')}` },
            'filters',
          ),
      ],
      [
        'source_id',
        (i) =>
          query({ field: 'source_id', op: '$is', value: `order-${pick(i, SOURCE_ID_EVERY).padStart(8, '0')}` }, 'must'),
      ],
      [
        'voucher (code)',
        (i) => query({ field: 'voucher_code', op: '$is', value: `CODE-${pick(i).padStart(8, '0')}` }, 'must'),
      ],
      [
        'filters[related_object_id]',
        (i) => query({ field: 'related_object_id', op: '$is', value: `v_${pick(i).padStart(8, '0')}` }, 'filters'),
      ],
      [
        'filters[failure_code]',
        () => query({ field: 'failure_code', op: '$is', value: 'no_voucher_suitable_for_publication' }, 'filters'),
      ],
      [
        'filters[campaign_name]',
        (i) => query({ field: 'campaign_name', op: '$is', value: `Campaign ${i % 20}` }, 'filters'),
      ],
      [
        'filters[parent_object_id]',
        (i) => query({ field: 'parent_object_id', op: '$is', value: `camp_${i % 20}` }, 'filters'),
      ],
      ['filters[result]', () => query({ field: 'result', op: '$is', value: 'FAILURE' }, 'filters')],
      ['filters[voucher_type]', () => query({ field: 'voucher_type', op: '$is', value: 'discount' }, 'filters')],
      ['filters[is_referral_code]', () => query({ field: 'is_referral_code', op: '$is', value: true }, 'filters')],
    ];
    for (const [name, make] of filters) {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < lists; i++) {
        const started = process.hrtime.bigint();
        total = store.listPublications(make(i)).total;
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
        // A filter that scans needs no 200 samples to show it.
        if (times.reduce((a, b) => a + b, 0) > 10_000) break;
      }
      times.sort((a, b) => a - b);
      console.log(
        `${name.padEnd(28)} p50 ${percentile(times, 50).toFixed(2).padStart(8)} ms  p99 ${percentile(times, 99)
          .toFixed(2)
          .padStart(8)} ms  (${times.length} lists, last total ${total.toLocaleString('en')})`,
      );
    }
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

measure();
