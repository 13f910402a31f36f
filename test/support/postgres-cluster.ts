/**
 * A throwaway PostgreSQL server for the tests, from Debian's packages: `initdb`
 * into a new folder under /tmp, listening on 127.0.0.1 on a free port (its unix
 * socket in that folder), a random password, stopped and deleted afterwards.
 * PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` user (`runuser`), in a folder that user owns.
 *
 * Used by test/support/postgres-server.ts (a file's own cluster when CI did
 * not start one) and by `.ci/run`, through its command line:
 *   node dist/test/support/postgres-cluster.js start   → prints the URL, then the folder
 *   node dist/test/support/postgres-cluster.js stop <folder>
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian's postgresql-15 puts its programs; MOCK_TEST_POSTGRES_BIN points elsewhere. */
export const DEFAULT_POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

export interface PostgresCluster {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres`, the superuser on the maintenance database. */
  url: string;
  /** The folder holding the data directory, the socket and the log. */
  folder: string;
}

function postgresBin(): string {
  return process.env.MOCK_TEST_POSTGRES_BIN ?? DEFAULT_POSTGRES_BIN;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Why a cluster cannot be started here, or undefined when it can: the
 * programs are missing, or we are root and there is no `postgres` user to run
 * them as.
 */
export function clusterUnavailableReason(): string | undefined {
  const bin = postgresBin();
  if (!existsSync(join(bin, 'initdb')) || !existsSync(join(bin, 'pg_ctl'))) {
    return (
      `no PostgreSQL programs in ${bin} (install Debian's postgresql-15, or ` +
      `set MOCK_TEST_POSTGRES_BIN or MOCK_TEST_POSTGRES_URL)`
    );
  }
  if (isRoot()) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no postgres user to run PostgreSQL as (it refuses to run as root)';
    }
  }
  return undefined;
}

/** Runs a PostgreSQL program as the user the server runs as. */
function runAsServerUser(program: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const path = join(postgresBin(), program);
  return isRoot() ? run('runuser', ['-u', 'postgres', '--', path, ...args]) : run(path, args);
}

function serverUserIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

function logTail(folder: string): string {
  try {
    return readFileSync(join(folder, 'server.log'), 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no server log)';
  }
}

/** Creates, starts and returns a new cluster; throws (with the server's log) when it cannot. */
export async function startCluster(): Promise<PostgresCluster> {
  const unavailable = clusterUnavailableReason();
  if (unavailable !== undefined) throw new Error(unavailable);
  const folder = mkdtempSync('/tmp/mock-pg-');
  try {
    if (isRoot()) {
      const { uid, gid } = serverUserIds();
      chownSync(folder, uid, gid);
    }
    chmodSync(folder, 0o700);
    const password = randomBytes(18).toString('hex');
    const passwordFile = join(folder, 'password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (isRoot()) {
      const { uid, gid } = serverUserIds();
      chownSync(passwordFile, uid, gid);
    }
    const data = join(folder, 'data');
    // No fsync: a test cluster is thrown away; a crash of the machine loses nothing anyone keeps.
    await runAsServerUser('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
    rmSync(passwordFile);
    // The port is free when picked and may be taken before the server binds it: another try on another port.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const settings = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-c unix_socket_directories=${folder}`,
        '-c fsync=off',
        '-c shared_buffers=64MB',
        '-c max_connections=200',
      ].join(' ');
      try {
        await runAsServerUser('pg_ctl', [
          '-D',
          data,
          '-l',
          join(folder, 'server.log'),
          '-w',
          '-t',
          '60',
          '-o',
          settings,
          'start',
        ]);
        return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, folder };
      } catch (error) {
        if (attempt >= 3)
          throw new Error(
            `PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n${logTail(folder)}`,
            { cause: error },
          );
      }
    }
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** Stops the cluster in `folder` (fast: open connections are ended) and deletes the folder. */
export async function stopCluster(folder: string): Promise<void> {
  try {
    if (existsSync(join(folder, 'data', 'postmaster.pid'))) {
      await runAsServerUser('pg_ctl', ['-D', join(folder, 'data'), '-m', 'fast', '-w', '-t', '30', 'stop']);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The same, synchronously (immediate shutdown), for a process that is exiting and cannot wait. */
export function stopClusterNow(folder: string): void {
  try {
    if (existsSync(join(folder, 'data', 'postmaster.pid'))) {
      const args = ['-D', join(folder, 'data'), '-m', 'immediate', '-w', '-t', '10', 'stop'];
      const path = join(postgresBin(), 'pg_ctl');
      execFileSync(isRoot() ? 'runuser' : path, isRoot() ? ['-u', 'postgres', '--', path, ...args] : args, {
        stdio: 'ignore',
      });
    }
  } catch {
    // Exiting anyway: the folder is removed below and the server, without its data directory, stops on its own check.
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, folder] = argv;
  if (command === 'start') {
    const cluster = await startCluster();
    process.stdout.write(`${cluster.url}\n${cluster.folder}\n`);
  } else if (command === 'stop' && folder !== undefined && folder.startsWith('/tmp/mock-pg-')) {
    await stopCluster(folder);
  } else {
    throw new Error('usage: postgres-cluster start | stop /tmp/mock-pg-<…>');
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`postgres-cluster: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
