/**
 * `npm run contract -- --target <base-url>`: runs the contract suite and exits
 * 0 when everything passed, 1 on a contract violation, 2 when it could not run
 * (target unreachable, bad flag or config), each time with a one-line reason.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readConfigFile } from './config-file';
import { ConfigError } from './config-error';
import { credentialsFromEnv } from './credentials';
import { checkHar } from './har';
import type { ContractReport } from './report';
import { formatConsoleReport } from './reporters/console-reporter';
import { writeJsonReport } from './reporters/json-reporter';
import { writeJunitReport } from './reporters/junit-reporter';
import { runContract } from './runner';
import type { TargetData } from './target-data';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  color: boolean;
}

interface CliFlags {
  target?: string;
  checks: 'schema' | 'all';
  readOnly?: boolean;
  maxPublications?: number;
  allowUnknownFields?: boolean;
  failOnSkip?: boolean;
  har?: string;
  junit?: string;
  json?: string;
  config?: string;
  campaign?: string;
  voucher?: string;
  customerId?: string;
  timeout: number;
  retries: number;
  fuzz?: number;
  seed?: number;
  fuzzTime?: number;
}

const NAME = 'publications-contract';

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};

function whole(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min)
      throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
    return n;
  };
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0))
    throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

function buildProgram(io: CliIo): Command {
  return new Command()
    .name(NAME)
    .description(
      'Checks that an implementation of the Publications API matches spec/publications.openapi.yaml exactly.',
    )
    .option('--target <url>', 'base URL of the implementation, e.g. https://staging.example.com')
    .addOption(
      new Option(
        '--checks <mode>',
        'schema: only what every conforming implementation answers; all: adds the behaviour checks',
      )
        .choices(['schema', 'all'])
        .default('all'),
    )
    .option('--read-only', 'send only requests that change nothing on the target')
    .option('--max-publications <n>', 'the most publications this run may create', whole(0))
    .option('--allow-unknown-fields', 'accept fields the spec does not document (opt-out of strictness)')
    .option(
      '--fail-on-skip',
      'a run with skipped checks (--read-only, --max-publications) fails with exit 2 instead of passing',
    )
    .option('--har <file>', 'check the Publications exchanges of a HAR capture, offline, instead of a target')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--json <file>', 'write a JSON report')
    .option('--config <file>', "JSON or YAML file with the target's data: campaign, voucher, customerId")
    .option('--campaign <name>', 'a campaign (name or id) that never runs dry, to publish from')
    .option('--voucher <code>', 'a publishable voucher code')
    .option('--customer-id <id>', 'the id of an existing customer')
    .option('--timeout <ms>', 'timeout of each request attempt', whole(1), 10000)
    .option('--retries <n>', 'further attempts after a network error', whole(0), 2)
    .option(
      '--fuzz <n>',
      'also send n requests per operation generated from the spec (valid and ' +
        'invalid; with --checks all, sequences too), each failure shrunk to a ' +
        'minimal case',
      whole(1),
    )
    .option(
      '--seed <n>',
      'the seed of --fuzz: the same seed generates the same requests (every run prints its seed)',
      whole(0),
    )
    .option('--fuzz-time <s>', 'the most seconds --fuzz may spend generating and shrinking', positiveSeconds)
    .addHelpText(
      'after',
      '\nCredentials: VOUCHERIFY_APP_ID and VOUCHERIFY_APP_TOKEN, or ' +
        'VOUCHERIFY_BEARER.\nExit codes: 0 all passed, 1 a contract violation, ' +
        '2 could not run (or, with --fail-on-skip, checks were skipped).',
    )
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: () => undefined, outputError: () => undefined })
    .allowExcessArguments(false);
}

function couldNotRun(io: CliIo, reason: string): number {
  io.stderr(`${NAME}: could not run: ${reason}\n`);
  return 2;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: CliIo = processIo,
): Promise<number> {
  const program = buildProgram(io);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help, --version
      return couldNotRun(io, `${error.message.replace(/^error: /, '')} (see --help)`);
    }
    throw error;
  }
  const flags = program.opts<CliFlags>();

  let report: ContractReport;
  try {
    if (flags.har && flags.target) throw new ConfigError('give either --target or --har, not both');
    if (flags.har && flags.fuzz !== undefined)
      throw new ConfigError('--fuzz sends requests: give it with --target, not --har');
    if (flags.fuzz === undefined && (flags.seed !== undefined || flags.fuzzTime !== undefined))
      throw new ConfigError(`${flags.seed !== undefined ? '--seed' : '--fuzz-time'} is for --fuzz <n>`);
    if (flags.har) {
      report = checkHar(flags.har, { allowUnknownFields: flags.allowUnknownFields ?? false });
    } else {
      if (!flags.target) throw new ConfigError('--target <url> is required (or --har <file>)');
      const fromFile = flags.config ? readConfigFile(flags.config) : {};
      const fromFlags: Partial<TargetData> = {
        ...(flags.campaign === undefined ? {} : { campaign: flags.campaign }),
        ...(flags.voucher === undefined ? {} : { voucher: flags.voucher }),
        ...(flags.customerId === undefined ? {} : { customerId: flags.customerId }),
      };
      report = await runContract({
        target: flags.target,
        credentials: credentialsFromEnv(env),
        checks: flags.checks,
        readOnly: flags.readOnly ?? false,
        ...(flags.maxPublications === undefined ? {} : { maxPublications: flags.maxPublications }),
        allowUnknownFields: flags.allowUnknownFields ?? false,
        failOnSkip: flags.failOnSkip ?? false,
        data: { ...fromFile, ...fromFlags },
        dataFiles: Object.fromEntries(
          Object.keys(fromFile)
            .filter((key) => !(key in fromFlags))
            .map((key) => [key, flags.config]),
        ),
        timeoutMs: flags.timeout,
        retries: flags.retries,
        ...(flags.fuzz === undefined
          ? {}
          : {
              fuzz: {
                cases: flags.fuzz,
                ...(flags.seed === undefined ? {} : { seed: flags.seed }),
                ...(flags.fuzzTime === undefined ? {} : { timeLimitS: flags.fuzzTime }),
              },
            }),
      });
    }
  } catch (error) {
    if (error instanceof ConfigError) return couldNotRun(io, error.message);
    throw error;
  }

  io.stdout(formatConsoleReport(report, { color: io.color }));
  try {
    if (flags.junit) writeJunitReport(report, flags.junit);
    if (flags.json) writeJsonReport(report, flags.json);
  } catch (error) {
    return couldNotRun(io, `cannot write the report: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (report.exitCode === 2) io.stderr(`${NAME}: ${report.reason}\n`);
  return report.exitCode;
}
