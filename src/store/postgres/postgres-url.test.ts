/** Which `--data` values are PostgreSQL URLs, and how one is shown in messages (never with its password). */
import { describePostgresUrl, isPostgresUrl } from './postgres-url';

describe('isPostgresUrl: a postgres:// or postgresql:// URL, anything else is a SQLite file', () => {
  it.each([
    ['postgres://u:p@127.0.0.1:5432/db', true],
    ['postgresql://127.0.0.1/db', true],
    ['POSTGRES://host/db', true],
    ['state.db', false],
    ['/tmp/postgres://x.db', false],
    ['postgres.db', false],
    ['mysql://host/db', false],
  ])('%s → %s', (data, expected) => {
    expect(isPostgresUrl(data)).toBe(expected);
  });
});

describe('describePostgresUrl: the URL without its password or query', () => {
  it.each([
    [
      'a password becomes ***',
      'postgres://mock:s3cret@db.internal:5432/mock',
      'postgres://mock:***@db.internal:5432/mock',
    ],
    ['no password: unchanged', 'postgresql://mock@127.0.0.1:5433/shared', 'postgresql://mock@127.0.0.1:5433/shared'],
    [
      'a query (it may carry a password) is dropped',
      'postgres://mock@host/db?password=s3cret&sslmode=require',
      'postgres://mock@host/db',
    ],
    ['unparseable: only the scheme is shown', 'postgres://mock:s3cret@[bad', 'postgres://…'],
  ])('%s', (_name, url, shown) => {
    expect(describePostgresUrl(url)).toBe(shown);
    expect(describePostgresUrl(url)).not.toContain('s3cret');
  });
});
