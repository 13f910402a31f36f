/**
 * A problem with how the suite was asked to run (a bad flag, an unreadable
 * config file, missing credentials): the run cannot start, exit code 2.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
