/**
 * What is wrong with a fixture file: every problem, each at a JSON pointer and,
 * where the file's text shows it, a line and column (1-based). Its own small
 * module so that a reset can recognise it without loading the loader (yaml,
 * AJV, faker) on the mock's start.
 */

/** One thing wrong with a fixture file. */
export interface FixtureProblem {
  pointer: string;
  message: string;
  /** Where in the file's text, when known. */
  line?: number;
  column?: number;
}

/** `file:line:column: /pointer what is wrong` (as compilers print it, so editors can jump there), or `file: /pointer …` without a position. */
export function formatFixtureProblem(file: string, problem: FixtureProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}:${problem.column ?? 1}`;
  return `${where}: ${problem.pointer || '/'} ${problem.message}`;
}

/** A fixture file that cannot be loaded; the message lists every problem, one per line. */
export class FixtureFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: FixtureProblem[],
  ) {
    super(problems.map((problem) => formatFixtureProblem(file, problem)).join('\n'));
    this.name = 'FixtureFileError';
  }
}
