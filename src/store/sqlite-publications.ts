/**
 * The publications table on SQLite, with its vouchers (publication_vouchers, in
 * publishing order) and the copies a row keeps for listing (its campaign's name;
 * its first voucher's code, type and referral flag), so a list page is one indexed
 * query. Fixed statements are prepared once; list statements once per query shape.
 */
import type Database from 'better-sqlite3';
import type { PublicationRecord, VoucherType } from '../domain/records';
import type { RecordOf } from './columns';
import { compilePublicationQuery } from './publication-query-sql';
import { PUBLICATIONS } from './record-tables';
import type { SqliteCampaigns } from './sqlite-campaigns';
import { SQLITE_DIALECT } from './sqlite-dialect';
import type { SqliteTransactions } from './sqlite-transaction';
import type { SqliteVouchers, VoucherSummary } from './sqlite-vouchers';
import type { SqlValue } from './sql-dialect';
import type { PublicationQuery } from './store';
import { makeTableCodec } from './table-codec';

type Row = Record<string, unknown>;

export const PUBLICATION_CODEC = makeTableCodec(PUBLICATIONS, SQLITE_DIALECT);

/** What a publication SELECT reads: the record's columns, then its seq. */
export const PUBLICATION_SELECT = `${PUBLICATION_CODEC.selectList('p')}, p.seq`;

/**
 * A publication row read with PUBLICATION_SELECT and its voucher ids: the record (the row itself, decoded in place).
 */
export function rowToPublication(row: Row, voucherIds: string[]): PublicationRecord {
  const publication: RecordOf<typeof PUBLICATIONS.columns> & { seq?: number; voucher_ids?: string[] } =
    PUBLICATION_CODEC.fromRow(row);
  publication.voucher_ids = voucherIds;
  return publication as PublicationRecord;
}

/** List statements kept per query shape; more shapes than this evict the oldest. */
const STATEMENT_CACHE_SIZE = 200;

/** The publication's `voucher_type` filter value for its first voucher's type. */
const LISTED_VOUCHER_TYPES: Record<VoucherType, string> = {
  DISCOUNT_VOUCHER: 'discount',
  GIFT_VOUCHER: 'gift',
  LOYALTY_CARD: 'loyalty',
};

export interface SqlitePublications {
  get(id: string): PublicationRecord | undefined;
  findBySourceId(sourceId: string): PublicationRecord | undefined;
  findJoined(customerId: string, campaignId: string): PublicationRecord | undefined;
  /** Stores it with its vouchers (and, given, its seq); returns its seq. */
  insert(publication: PublicationRecord, options?: { keepSeq?: boolean }): number;
  list(query: PublicationQuery): { publications: PublicationRecord[]; total: number };
  /** Every publication, in insertion order. */
  all(): PublicationRecord[];
}

export function prepareSqlitePublications(
  db: Database.Database,
  related: { campaigns: SqliteCampaigns; vouchers: SqliteVouchers; transactions: SqliteTransactions },
): SqlitePublications {
  const columns = PUBLICATION_SELECT;
  const byId = db.prepare<[string], Row>(`SELECT ${columns} FROM publications p WHERE p.id = ?`);
  const bySourceId = db.prepare<[string], Row>(
    `SELECT ${columns} FROM publications p WHERE p.source_id = ? AND p.result = 'SUCCESS'`,
  );
  const joined = db.prepare<[string, string], Row>(
    `SELECT ${columns} FROM publications p WHERE p.customer_id = ? AND ` +
      `p.campaign_id = ? AND p.result = 'SUCCESS' ORDER BY p.seq LIMIT 1`,
  );
  const insertRow = db.prepare<SqlValue[]>(PUBLICATION_CODEC.insertSql());
  /** A restore keeps each publication's seq (null lets SQLite pick the next one). */
  const insertRowAt = db.prepare<SqlValue[]>(PUBLICATION_CODEC.insertSql({ withSeq: true }));
  const allRows = db.prepare<[], Row>(`SELECT ${columns} FROM publications p ORDER BY p.seq`);
  const insertLink = db.prepare<[string, string, number]>(
    'INSERT INTO publication_vouchers (publication_id, voucher_id, position) VALUES (?, ?, ?)',
  );
  const voucherIdsOf = db.prepare<[string], { voucher_id: string }>(
    'SELECT voucher_id FROM publication_vouchers WHERE publication_id = ? ORDER BY position',
  );
  /** The voucher ids of several publications (one list parameter of their ids), in order. */
  const voucherIdsOfMany = db.prepare<[SqlValue], { publication_id: string; voucher_id: string }>(
    `SELECT publication_id, voucher_id FROM publication_vouchers WHERE ` +
      `${SQLITE_DIALECT.inList('publication_id', '?')} ` +
      'ORDER BY publication_id, position',
  );
  const allLinks = db.prepare<[], { publication_id: string; voucher_id: string }>(
    'SELECT publication_id, voucher_id FROM publication_vouchers ORDER BY publication_id, position',
  );
  const countStatements = new Map<string, Database.Statement<SqlValue[], { total: number }>>();
  const pageStatements = new Map<string, Database.Statement<SqlValue[], Row>>();

  function cachedStatement<R>(
    cache: Map<string, Database.Statement<SqlValue[], R>>,
    sql: string,
  ): Database.Statement<SqlValue[], R> {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare<SqlValue[], R>(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = cache.keys().next();
        if (oldest.done !== true) cache.delete(oldest.value);
      }
      cache.set(sql, statement);
    }
    return statement;
  }

  function load(row: Row | undefined): PublicationRecord | undefined {
    if (row === undefined) return undefined;
    return rowToPublication(
      row,
      voucherIdsOf.all(row.id as string).map((link) => link.voucher_id),
    );
  }

  function listingCopies(publication: PublicationRecord): Record<string, unknown> {
    let campaignName: string | null = null;
    if (publication.campaign_id !== null) {
      const name = related.campaigns.nameOf(publication.campaign_id);
      if (name === undefined)
        throw new Error(`insertPublication ${publication.id}: unknown campaign ${publication.campaign_id}`);
      campaignName = name;
    }
    let first: VoucherSummary | undefined;
    for (const voucherId of publication.voucher_ids) {
      const voucher = related.vouchers.summary(voucherId);
      if (voucher === undefined) throw new Error(`insertPublication ${publication.id}: unknown voucher ${voucherId}`);
      first ??= voucher;
    }
    return {
      campaign_name: campaignName,
      voucher_code: first?.code ?? null,
      voucher_type: first === undefined ? null : LISTED_VOUCHER_TYPES[first.type],
      is_referral_code: first?.is_referral_code ?? null,
    };
  }

  return {
    get: (id) => load(byId.get(id)),
    findBySourceId: (sourceId) => load(bySourceId.get(sourceId)),
    findJoined: (customerId, campaignId) => load(joined.get(customerId, campaignId)),

    insert(publication, options = {}) {
      const values = PUBLICATION_CODEC.toValues(publication, listingCopies(publication));
      const seq =
        options.keepSeq === true
          ? Number(insertRowAt.run(...values, publication.seq ?? null).lastInsertRowid)
          : Number(insertRow.run(...values).lastInsertRowid);
      publication.voucher_ids.forEach((voucherId, position) => {
        insertLink.run(publication.id, voucherId, position);
      });
      return seq;
    },

    list(query) {
      const sql = compilePublicationQuery(query, SQLITE_DIALECT);
      return related.transactions.read(() => {
        const total = cachedStatement(countStatements, `SELECT count(*) AS total FROM publications p${sql.where}`).get(
          ...sql.params,
        );
        const rows = cachedStatement(
          pageStatements,
          `SELECT ${columns} FROM publications p${sql.where} ${sql.orderBy} LIMIT ? OFFSET ?`,
        ).all(...sql.params, sql.limit, sql.offset);
        const voucherIds = new Map<string, string[]>(rows.map((row) => [row.id as string, []]));
        if (rows.length > 0) {
          for (const link of voucherIdsOfMany.all(SQLITE_DIALECT.listParameter([...voucherIds.keys()]))) {
            voucherIds.get(link.publication_id)?.push(link.voucher_id);
          }
        }
        return {
          publications: rows.map((row) => rowToPublication(row, voucherIds.get(row.id as string) ?? [])),
          total: total?.total ?? 0,
        };
      });
    },

    all() {
      const voucherIds = new Map<string, string[]>();
      for (const link of allLinks.all()) {
        const ids = voucherIds.get(link.publication_id);
        if (ids === undefined) voucherIds.set(link.publication_id, [link.voucher_id]);
        else ids.push(link.voucher_id);
      }
      return allRows.all().map((row) => rowToPublication(row, voucherIds.get(row.id as string) ?? []));
    },
  };
}
