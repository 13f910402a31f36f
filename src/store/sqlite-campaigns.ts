/**
 * The campaigns table on SQLite: its statements, prepared once per connection,
 * and the record conversion derived from its declaration (CAMPAIGNS).
 */
import type Database from 'better-sqlite3';
import type { CampaignRecord } from '../domain/records';
import { CAMPAIGNS } from './record-tables';
import { SQLITE_DIALECT } from './sqlite-dialect';
import type { SqlValue } from './sql-dialect';
import type { CampaignStock } from './store';
import { makeTableCodec } from './table-codec';

type Row = Record<string, unknown>;

export const CAMPAIGN_CODEC = makeTableCodec(CAMPAIGNS, SQLITE_DIALECT);

export interface SqliteCampaigns {
  get(id: string): CampaignRecord | undefined;
  findByName(name: string): CampaignRecord | undefined;
  /** The campaign's name (what a publication copies for listing), if it exists. */
  nameOf(id: string): string | undefined;
  list(): CampaignRecord[];
  stock(campaignId: string): CampaignStock;
  insert(campaign: CampaignRecord): void;
}

export function prepareSqliteCampaigns(db: Database.Database): SqliteCampaigns {
  const columns = CAMPAIGN_CODEC.selectList();
  const byId = db.prepare<[string], Row>(`SELECT ${columns} FROM campaigns WHERE id = ?`);
  const byName = db.prepare<[string], Row>(`SELECT ${columns} FROM campaigns WHERE name = ? ORDER BY seq LIMIT 1`);
  const nameById = db.prepare<[string], { name: string }>('SELECT name FROM campaigns WHERE id = ?');
  const all = db.prepare<[], Row>(`SELECT ${columns} FROM campaigns ORDER BY seq`);
  const stockOf = db.prepare<[string, string], { total: number; publishable: number }>(
    'SELECT (SELECT count(*) FROM vouchers WHERE campaign_id = ?) AS total, ' +
      '(SELECT count(*) FROM vouchers WHERE campaign_id = ? AND active = 1 AND holder_id IS NULL) AS publishable',
  );
  const insertRow = db.prepare<SqlValue[]>(CAMPAIGN_CODEC.insertSql());
  const read = (row: Row | undefined): CampaignRecord | undefined =>
    row === undefined ? undefined : CAMPAIGN_CODEC.fromRow(row);

  return {
    get: (id) => read(byId.get(id)),
    findByName: (name) => read(byName.get(name)),
    nameOf: (id) => nameById.get(id)?.name,
    list: () => all.all().map((row) => CAMPAIGN_CODEC.fromRow(row)),
    stock(campaignId) {
      const row = stockOf.get(campaignId, campaignId);
      return { total: row?.total ?? 0, publishable: row?.publishable ?? 0 };
    },
    insert(campaign) {
      insertRow.run(...CAMPAIGN_CODEC.toValues(campaign));
    },
  };
}
