/**
 * The spec lints clean with Redocly, and the committed TypeScript types are
 * what openapi-typescript generates from it today.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..');
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

describe('spec tooling', () => {
  it('redocly lint reports no errors and no warnings', async () => {
    const { stdout } = await run(bin('redocly'), ['lint', 'spec/publications.openapi.yaml', '--format=json'], {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { totals: { errors: number; warnings: number } };
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60000);

  it('src/spec/publications-api.generated.ts is up to date (run `npm run generate:types`)', async () => {
    const { stdout } = await run(bin('openapi-typescript'), ['spec/publications.openapi.yaml'], { cwd: root });
    const committed = readFileSync(join(root, 'src', 'spec', 'publications-api.generated.ts'), 'utf8');
    expect(stdout.trim()).toBe(committed.trim());
  }, 60000);
});
