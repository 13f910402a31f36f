import { openSqliteStore } from '../store/sqlite-store';
import { IdSource, idAt } from './id-source';

describe('IdSource', () => {
  it('draws ids with idAt: the same seed, kind and counter give the same id', async () => {
    const store = openSqliteStore({});
    try {
      const ids = new IdSource(7);
      expect([
        await ids.publicationId(store),
        await ids.publicationId(store),
        await ids.customerId(store),
        await ids.voucherId(store),
      ]).toEqual([idAt(7, 'publication', 1), idAt(7, 'publication', 2), idAt(7, 'customer', 1), idAt(7, 'voucher', 1)]);
      expect(idAt(7, 'publication', 1)).toMatch(/^pub_[A-Za-z0-9]{32}$/);
    } finally {
      store.close();
    }
  });

  // A charset over 256 characters once made the draw loop forever (no byte is below 256 - 256 % 300 = 0).
  it.each([256, 257, 300, 4096])(
    'codes from a charset of %i characters end, and use only characters of it',
    async (size) => {
      const store = openSqliteStore({});
      try {
        const ids = new IdSource(1);
        const charset = Array.from({ length: size }, (_, i) => String.fromCharCode(0x100 + i)).join('');
        const code = await ids.code(store, { charset, length: 64 });
        expect(code).toHaveLength(64);
        expect([...code].every((c) => charset.includes(c))).toBe(true);
      } finally {
        store.close();
      }
    },
  );

  it(
    'ids and codes are those the mock drew before bounds above 256 were ' +
      'handled (data files and snapshots carry on)',
    async () => {
      const store = openSqliteStore({});
      try {
        // Values from the previous implementation, seed 1.
        const ids = new IdSource(1);
        expect([
          await ids.customerId(store),
          await ids.code(store, { length: 8 }),
          await ids.code(store, { prefix: 'A-', pattern: '####', charset: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789' }),
        ]).toEqual(['cust_J6VHPwx6ht76pcJBITg5fQmb', 'eSN9lJqj', 'A-CQ34']);
      } finally {
        store.close();
      }
    },
  );
});
