/**
 * The vouchers table on SQLite: its statements, prepared once per connection,
 * and the record conversion derived from its declaration (VOUCHERS).
 */
import type Database from 'better-sqlite3';
import type { VoucherRecord, VoucherType } from '../domain/records';
import { VOUCHERS } from './record-tables';
import { SQLITE_DIALECT } from './sqlite-dialect';
import type { SqlValue } from './sql-dialect';
import { makeTableCodec } from './table-codec';

type Row = Record<string, unknown>;

export const VOUCHER_CODEC = makeTableCodec(VOUCHERS, SQLITE_DIALECT);

/** What a publication copies from its first voucher for listing. */
export interface VoucherSummary {
  code: string;
  type: VoucherType;
  is_referral_code: boolean;
}

export interface SqliteVouchers {
  get(id: string): VoucherRecord | undefined;
  findByCode(code: string): VoucherRecord | undefined;
  findPublishable(campaignId: string): VoucherRecord | undefined;
  listHeldLoyaltyCards(customerId: string): VoucherRecord[];
  summary(id: string): VoucherSummary | undefined;
  /** Every one, in insertion order. */
  all(): VoucherRecord[];
  insert(voucher: VoucherRecord): void;
  /** False when there is no such voucher. */
  update(voucher: VoucherRecord): boolean;
}

export function prepareSqliteVouchers(db: Database.Database): SqliteVouchers {
  const columns = VOUCHER_CODEC.selectList();
  const byId = db.prepare<[string], Row>(`SELECT ${columns} FROM vouchers WHERE id = ?`);
  const byCode = db.prepare<[string], Row>(`SELECT ${columns} FROM vouchers WHERE code = ?`);
  const publishable = db.prepare<[string], Row>(
    `SELECT ${columns} FROM vouchers WHERE campaign_id = ? AND active = 1 ` +
      `AND holder_id IS NULL ORDER BY created_at, seq LIMIT 1`,
  );
  const heldLoyaltyCards = db.prepare<[string], Row>(
    `SELECT ${columns} FROM vouchers WHERE type = 'LOYALTY_CARD' AND ` +
      `holder_id IS NOT NULL AND holder_id = ? ORDER BY created_at, seq`,
  );
  const summaryById = db.prepare<[string], Row>('SELECT code, type, is_referral_code FROM vouchers WHERE id = ?');
  const allRows = db.prepare<[], Row>(`SELECT ${columns} FROM vouchers ORDER BY seq`);
  const insertRow = db.prepare<SqlValue[]>(VOUCHER_CODEC.insertSql());
  const updateRow = db.prepare<SqlValue[]>(VOUCHER_CODEC.updateSql('id'));
  const read = (row: Row | undefined): VoucherRecord | undefined =>
    row === undefined ? undefined : VOUCHER_CODEC.fromRow(row);
  const { code, type, is_referral_code: isReferral } = VOUCHERS.columns;

  return {
    get: (id) => read(byId.get(id)),
    findByCode: (voucherCode) => read(byCode.get(voucherCode)),
    findPublishable: (campaignId) => read(publishable.get(campaignId)),
    listHeldLoyaltyCards: (customerId) => heldLoyaltyCards.all(customerId).map((row) => VOUCHER_CODEC.fromRow(row)),
    summary(id) {
      const row = summaryById.get(id);
      if (row === undefined) return undefined;
      return {
        code: SQLITE_DIALECT.decode(code, row.code) as string,
        type: SQLITE_DIALECT.decode(type, row.type) as VoucherType,
        is_referral_code: SQLITE_DIALECT.decode(isReferral, row.is_referral_code) as boolean,
      };
    },
    all: () => allRows.all().map((row) => VOUCHER_CODEC.fromRow(row)),
    insert(voucher) {
      insertRow.run(...VOUCHER_CODEC.toValues(voucher));
    },
    update(voucher) {
      return updateRow.run(...VOUCHER_CODEC.toUpdateValues(voucher, 'id')).changes === 1;
    },
  };
}
