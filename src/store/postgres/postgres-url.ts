/**
 * Telling a PostgreSQL URL from a SQLite file name in `--data` / `MOCK_DATA`,
 * and writing one in messages without its password.
 */

/** True for `postgres://…` and `postgresql://…` (what libpq and pg accept). */
export function isPostgresUrl(data: string): boolean {
  return /^postgres(ql)?:\/\//i.test(data.trim());
}

/**
 * The URL as messages and the start line show it: the password replaced by `***`, the query (which may hold one)
 * dropped.
 */
export function describePostgresUrl(data: string): string {
  let url: URL;
  try {
    url = new URL(data.trim());
  } catch {
    // Unparseable: say only which scheme it was; anything after it might be a secret.
    return `${data.trim().split('//')[0] ?? 'postgres:'}//…`;
  }
  if (url.password !== '') url.password = '***';
  url.search = '';
  url.hash = '';
  return url.toString();
}
