/** The repository's root (the folder holding package.json), from bench/ sources or their dist/ build. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'spec'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no repository root above ${from}`);
    dir = parent;
  }
}

export const REPO_ROOT = findRoot(__dirname);
export const fromRoot = (...parts: string[]): string => join(REPO_ROOT, ...parts);
