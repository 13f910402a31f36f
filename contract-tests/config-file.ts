/**
 * The `--config` file: what the target's data holds, as JSON or YAML, e.g.
 * `{ "campaign": "Spring Sale", "voucher": "SPRING-1", "customerId": "cust_…" }`.
 * Unknown keys are refused, so a typo cannot silently fall back to a default.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from './config-error';
import { isRecord } from './exchange';
import { TARGET_DATA_KEYS, type TargetData } from './target-data';

export function readConfigFile(file: string): Partial<TargetData> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read --config ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new ConfigError(
      `--config ${file} is neither JSON nor YAML: ` +
        `${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
  if (!isRecord(parsed))
    throw new ConfigError(`--config ${file} must hold an object with ${TARGET_DATA_KEYS.join(', ')}`);
  const out: Partial<TargetData> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const known = TARGET_DATA_KEYS.find((k) => k === key);
    if (!known) throw new ConfigError(`--config ${file}: unknown key "${key}" (known: ${TARGET_DATA_KEYS.join(', ')})`);
    if (typeof value !== 'string' || value.trim() === '')
      throw new ConfigError(`--config ${file}: "${key}" must be a non-empty string`);
    out[known] = value;
  }
  return out;
}
