/**
 * The README's layout table names every folder of the repository, so a folder
 * added without a word in the table (or a row left for a folder that is gone)
 * fails here rather than misleading a newcomer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/repository-paths';

/** Folders .gitignore names (`/tmp/`, `coverage/`, …): made by runs, not part of the project. */
const IGNORED = readFileSync(join(PACKAGE_ROOT, '.gitignore'), 'utf8')
  .split('\n')
  .filter((line) => line.endsWith('/'))
  .map((line) => line.replace(/^\//, '').replace(/\/$/, ''));

/** Not the project's own folders: installs, builds, VCS; a consumer project's insides are its own. */
const NOT_OURS = new Set(['.git', 'test/consumer-project/test', ...IGNORED]);

function listFolders(relative = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(PACKAGE_ROOT, relative), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (NOT_OURS.has(path) || NOT_OURS.has(entry.name) || (entry.name.startsWith('.') && path !== '.ci')) continue;
    found.push(path, ...listFolders(path));
  }
  return found;
}

function readLayoutTable(): Set<string> {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const section = readme.split('\n## What is here\n')[1]?.split('\n## ')[0] ?? '';
  const named = new Set<string>();
  for (const row of section.split('\n').filter((line) => line.startsWith('| `'))) {
    const firstCell = row.split('|')[1] ?? '';
    for (const match of firstCell.matchAll(/`([^`]+)\/`/g)) named.add(match[1]!);
  }
  return named;
}

describe('the README layout table', () => {
  const folders = listFolders();
  const named = readLayoutTable();

  it.each(folders)('names the folder %s', (folder) => {
    expect(named).toContain(folder);
  });

  it('names no folder that does not exist', () => {
    expect([...named].filter((folder) => !folders.includes(folder))).toEqual([]);
  });
});
