/**
 * What the PostgreSQL store does when PostgreSQL pushes back, on a real
 * server: a transaction aborted for a conflict is run again (and, once its
 * attempts are spent, is a StoreUnavailableError of reason 'conflicts', a
 * 503 to be); a database that cannot be reached is one of reason 'unreachable'.
 */
import { Pool } from 'pg';
import { freePort } from '../../../test/support/free-port';
import { describeWithPostgres } from '../../../test/support/postgres-server';
import { type AsyncStore, StoreUnavailableError, type StoreTransaction } from '../async-store';
import { openPostgresStore, postgresStoreOn } from './postgres-store';

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * Write skew, the conflict SERIALIZABLE exists for: each transaction reads
 * the key the other writes, both having read before either writes. Run one
 * at a time they cannot both see the other's key missing; interleaved, one
 * of them is aborted (40001).
 */
async function writeSkew(one: AsyncStore, two: AsyncStore): Promise<PromiseSettledResult<string>[]> {
  const bothRead = [signal(), signal()];
  const firstRuns = [true, true];
  const step =
    (me: 0 | 1) =>
    async (tx: StoreTransaction): Promise<string> => {
      const other = await tx.getMeta(me === 0 ? 'b' : 'a');
      if (firstRuns[me] === true) {
        firstRuns[me] = false;
        bothRead[me]!.resolve();
        await bothRead[1 - me]!.promise;
      }
      await tx.setMeta(me === 0 ? 'a' : 'b', other === undefined ? 'first' : 'second');
      return other === undefined ? 'saw nothing' : `saw ${other}`;
    };
  return Promise.allSettled([one.transaction(step(0)), two.transaction(step(1))]);
}

describeWithPostgres('PostgreSQL store under conflicts and outages', (database) => {
  const stores: AsyncStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  async function open(options: { maxAttempts?: number } = {}): Promise<AsyncStore> {
    const store = await openPostgresStore(database().url, { poolSize: 2, ...options });
    stores.push(store);
    return store;
  }

  it.each<[string, number | undefined, (results: PromiseSettledResult<string>[]) => void]>([
    [
      'run again (the default): both commit, the second run having seen the ' +
        "first one's write, as if one after the other",
      undefined,
      (results) => {
        expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
        const seen = results.map((result) => (result.status === 'fulfilled' ? result.value : '')).sort();
        expect(seen).toEqual(['saw first', 'saw nothing']);
      },
    ],
    [
      'one attempt only: the aborted one is a StoreUnavailableError of reason conflicts, naming the SQLSTATE',
      1,
      (results) => {
        const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
        expect(rejected).toHaveLength(1);
        expect(rejected[0]!.reason).toBeInstanceOf(StoreUnavailableError);
        expect((rejected[0]!.reason as StoreUnavailableError).reason).toBe('conflicts');
        expect((rejected[0]!.reason as Error).message).toMatch(/40001/);
      },
    ],
  ])('write skew between two replicas, %s', async (_name, maxAttempts, check) => {
    const one = await open({ maxAttempts });
    const two = await open({ maxAttempts });
    await one.transaction((tx) => tx.clear());
    check(await writeSkew(one, two));
  });

  it('a database that cannot be reached: a StoreUnavailableError of reason unreachable, not a hang', async () => {
    const pool = new Pool({
      host: '127.0.0.1',
      port: await freePort(),
      user: 'nobody',
      database: 'none',
      connectionTimeoutMillis: 2000,
    });
    pool.on('error', () => undefined);
    const store = postgresStoreOn(pool);
    stores.push(store);
    const failure = store.transaction((tx) => tx.getMeta('x'));
    await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failure).rejects.toMatchObject({ reason: 'unreachable' });
  });
});
