/**
 * Where the dashboard's and the docs page's static files are: in src/qa/ next
 * to this module when run from source (tests), or back in src/qa/ from
 * dist/src/qa/ when built (tsc copies no HTML), the way spec-document.ts finds
 * the spec.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function staticFolder(name: string): string {
  const fromSource = join(__dirname, name);
  if (existsSync(fromSource)) return fromSource;
  return join(__dirname, '..', '..', '..', 'src', 'qa', name);
}
