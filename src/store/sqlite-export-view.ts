/**
 * The streamed export's view of a SQLite store: a private connection on what the
 * store holds now, read record by record while the store goes on writing. On a
 * file, a read-only connection in a read transaction (WAL keeps its snapshot); in
 * memory, a copy of the database (one memcpy), since no other connection can see it.
 */
import Database from 'better-sqlite3';
import { CAMPAIGN_CODEC } from './sqlite-campaigns';
import { CUSTOMER_CODEC } from './sqlite-customers';
import { PUBLICATION_SELECT, rowToPublication } from './sqlite-publications';
import { VOUCHER_CODEC } from './sqlite-vouchers';
import type { StoreExportView } from './store';
import type { TableCodec } from './table-codec';

type Row = Record<string, unknown>;

export function openSqliteExportView(
  db: Database.Database,
  file: string | undefined,
  busyTimeoutMs: number,
): StoreExportView {
  const view =
    file === undefined
      ? new Database(db.serialize())
      : new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  try {
    if (file !== undefined) {
      view.exec('BEGIN');
      // The read transaction starts at its first read: from here on, this connection sees this moment.
      view.prepare('SELECT count(*) FROM meta').get();
    }
  } catch (error) {
    view.close();
    throw error;
  }
  function* rows<T>(codec: TableCodec<T>): Generator<T> {
    for (const row of view
      .prepare<[], Row>(`SELECT ${codec.selectList()} FROM ${codec.table.name} ORDER BY seq`)
      .iterate()) {
      yield codec.fromRow(row);
    }
  }
  function* publications(): Generator<ReturnType<typeof rowToPublication>> {
    const sql =
      `SELECT ${PUBLICATION_SELECT}, (SELECT json_group_array(voucher_id) FROM ` +
      '(SELECT voucher_id FROM publication_vouchers WHERE publication_id = p.id ORDER BY position)) AS voucher_ids ' +
      'FROM publications p ORDER BY p.seq';
    for (const row of view.prepare<[], Row>(sql).iterate()) {
      yield rowToPublication(row, JSON.parse(row.voucher_ids as string) as string[]);
    }
  }
  return {
    campaigns: () => rows(CAMPAIGN_CODEC),
    vouchers: () => rows(VOUCHER_CODEC),
    customers: () => rows(CUSTOMER_CODEC),
    publications,
    sequences: () =>
      Object.fromEntries(
        view
          .prepare<[], { name: string; value: number }>('SELECT name, value FROM sequences ORDER BY name')
          .all()
          .map((row) => [row.name, row.value]),
      ),
    meta: () =>
      Object.fromEntries(
        view
          .prepare<[], { key: string; value: string }>('SELECT key, value FROM meta ORDER BY key')
          .all()
          .map((row) => [row.key, row.value]),
      ),
    close: () => {
      if (view.open) view.close();
    },
  };
}
