/**
 * On a 2-core machine the server under test and the load generator compete for
 * the CPU. With `taskset` available, each gets a core of its own (server on
 * CPU 0, load generator on CPU 1), the same for every server compared, so no
 * server can borrow the load generator's core. BENCH_PIN=0 turns it off.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

export type Role = 'server' | 'load';

let available: boolean | undefined;

export function pinningAvailable(): boolean {
  if (process.env.BENCH_PIN === '0') return false;
  available ??= cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return available;
}

/** The command and arguments that run `command args` on the role's core (unchanged without taskset). */
export function pinned(role: Role, command: string, args: string[]): { command: string; args: string[] } {
  if (!pinningAvailable()) return { command, args };
  return { command: 'taskset', args: ['-c', role === 'server' ? '0' : '1', command, ...args] };
}

export function describePinning(): string {
  return pinningAvailable()
    ? 'each server pinned to CPU 0 and autocannon (its own process) to CPU 1 with taskset'
    : 'not pinned: servers and autocannon (its own process) share all cores';
}
