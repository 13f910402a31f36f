#!/usr/bin/env node
/**
 * `npm start`: parses options (flags or environment) and starts the mock.
 * A bad option is one clear line on stderr and exit code 2.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseInstant } from './runtime/clock';
import { exitOnClosedPipe } from './runtime/exit-on-closed-pipe';
import { DEFAULT_PORT, DEFAULT_SEED, type MockOptions, startMock } from './app/server';
import { describePostgresUrl, isPostgresUrl } from './store/postgres/postgres-url';

function integer(min: number, max: number) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

function instant(value: string): string {
  const iso = parseInstant(value);
  if (!iso) throw new InvalidArgumentError('expected an ISO 8601 instant, e.g. 2022-09-30T16:30:32.924Z');
  return iso;
}

function flag(value: string | boolean | undefined): boolean {
  if (typeof value === 'boolean' || value === undefined) return value ?? false;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off|)$/i.test(value)) return false;
  throw new InvalidArgumentError('expected true or false');
}

const program = new Command()
  .name('voucherify-publications-mock')
  .description('A stateful mock of the Voucherify Publications API')
  .addOption(
    new Option('--port <port>', 'port to listen on').env('PORT').default(DEFAULT_PORT).argParser(integer(0, 65535)),
  )
  .addOption(new Option('--host <host>', 'address to listen on').env('HOST').default('127.0.0.1'))
  .addOption(
    new Option(
      '--seed <seed>',
      `seed of the generated data and ids (default: ${DEFAULT_SEED}; a --data file keeps the seed it was made with)`,
    )
      .env('MOCK_SEED')
      .argParser(integer(0, 2 ** 31 - 1)),
  )
  .addOption(
    new Option(
      '--data <file|url>',
      'where state lives: a SQLite file, or a postgres:// URL; a restart on it resumes (default: in memory)',
    ).env('MOCK_DATA'),
  )
  .addOption(
    new Option(
      '--fixtures <file>',
      'your own fixture file, JSON or YAML, see mocks/README.md (default: the generated world)',
    ).env('MOCK_FIXTURES'),
  )
  .addOption(
    new Option('--now <instant>', 'freeze the clock at this ISO 8601 instant (default: the real clock)')
      .env('MOCK_NOW')
      .argParser(instant),
  )
  .addOption(
    new Option('--strict [bool]', 'refuse to send a body that breaks the spec (default: off)')
      .env('MOCK_STRICT')
      .argParser(flag),
  )
  .addOption(
    new Option('--public-url <url>', 'the address clients use, for asset URLs (default: from each request)').env(
      'MOCK_PUBLIC_URL',
    ),
  )
  .addOption(
    new Option(
      '--admin-token <token>',
      'require this token (X-Mock-Admin-Token) for every /__mock/ request that reads or changes state (default: none)',
    ).env('MOCK_ADMIN_TOKEN'),
  )
  .addOption(new Option('--quiet', 'no request log'))
  .showHelpAfterError(false)
  .configureOutput({
    outputError: (text, write) => write(`voucherify-publications-mock: ${text.replace(/^error: /, '').trim()}\n`),
  })
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 2);
  });

/** How long a stop waits for open connections and the store to close before exiting anyway. */
const STOP_DEADLINE_MS = 1500;

/** What commander hands over: the mock's own options, less the logger (made here), plus --quiet. */
type CliOptions = Omit<MockOptions, 'log'> & { port: number; host: string; quiet?: boolean };

async function main(): Promise<void> {
  exitOnClosedPipe();
  program.parse();
  const options = program.opts<CliOptions>();
  const log = options.quiet ? undefined : (line: string): void => console.log(`${new Date().toISOString()} ${line}`);
  let mock;
  try {
    mock = await startMock({ ...options, strict: flag(options.strict), log });
  } catch (error) {
    console.error(`voucherify-publications-mock: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  // Graceful first (open connections are closed, the store is closed), and an exit all the same within
  // STOP_DEADLINE_MS.
  // Set before the start line: whoever waits for it may signal at once.
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(0); // a second signal: now
    stopping = true;
    setTimeout(() => {
      console.error(`voucherify-publications-mock: not closed within ${STOP_DEADLINE_MS} ms; exiting`);
      process.exit(0);
    }, STOP_DEADLINE_MS).unref();
    mock.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`voucherify-publications-mock: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const dataShown = options.data && (isPostgresUrl(options.data) ? describePostgresUrl(options.data) : options.data);
  console.log(
    `Voucherify Publications mock listening on ${mock.url} (seed ` +
      `${mock.state.seed}, ` +
      `${options.data ? `data ${dataShown}, ${mock.start}` : 'in memory'}` +
      `${options.now ? `, clock frozen at ${options.now}` : ''}` +
      `${options.strict ? ', strict' : ''}` +
      `${options.adminToken ? ', admin token required' : ''}); ` +
      `dashboard ${mock.url}/__mock/`,
  );
}

void main();
