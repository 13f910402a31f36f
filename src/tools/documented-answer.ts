/**
 * Finds a documented answer of an operation in spec/: by status (its first
 * named example), by example name, or by error key. Forced answers (`Prefer`)
 * and scenarios both answer with these bodies, so what a front end sees is
 * exactly what the spec promises. When nothing matches, the error lists what
 * would have: the documented statuses, or the example names of a status.
 */
import type { ApiError } from '../domain/api-error';
import type { Operation } from '../spec/operations';

export interface DocumentedAnswer {
  status: number;
  /** The name of the spec example the body is taken from. */
  example: string;
  body: unknown;
}

export interface AnswerChoice {
  status?: number;
  example?: string;
  /** An error key: the example of that name, or the first example whose body has that `key`. */
  key?: string;
}

function label(op: Operation): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

function statusList(op: Operation): string {
  return [...op.responses.keys()].join(', ');
}

function exampleList(op: Operation): string {
  return [...op.responses.values()]
    .map((r) => `${r.status}: ${Object.keys(r.examples).join(', ') || '(none)'}`)
    .join('; ');
}

function keyOf(body: unknown): unknown {
  return body !== null && typeof body === 'object' ? (body as { key?: unknown }).key : undefined;
}

/** The answer chosen, or `fail(details)` thrown naming the valid choices. */
export function documentedAnswer(
  op: Operation,
  choice: AnswerChoice,
  fail: (details: string) => ApiError,
): DocumentedAnswer {
  if (choice.status !== undefined) {
    const response = op.responses.get(choice.status);
    if (!response) throw fail(`${label(op)} does not document status ${choice.status}; documented: ${statusList(op)}`);
    const names = Object.keys(response.examples);
    const name =
      choice.example ??
      (choice.key !== undefined
        ? names.find((n) => n === choice.key || keyOf(response.examples[n]) === choice.key)
        : names[0]);
    if (name === undefined || !(name in response.examples)) {
      const wanted =
        choice.example !== undefined
          ? `example ${JSON.stringify(choice.example)}`
          : choice.key !== undefined
            ? `an example with key ${JSON.stringify(choice.key)}`
            : 'an example';
      throw fail(
        `${label(op)} has no ${wanted} for status ${choice.status}; its ` +
          `${choice.status} examples: ${names.join(', ') || '(none)'}`,
      );
    }
    return { status: choice.status, example: name, body: response.examples[name] };
  }
  if (choice.example !== undefined) {
    for (const response of op.responses.values()) {
      if (choice.example in response.examples)
        return { status: response.status, example: choice.example, body: response.examples[choice.example] };
    }
    throw fail(
      `${label(op)} has no example named ${JSON.stringify(choice.example)}; its examples by status: ${exampleList(op)}`,
    );
  }
  if (choice.key !== undefined) {
    const key = choice.key;
    for (const response of op.responses.values()) {
      if (key in response.examples) return { status: response.status, example: key, body: response.examples[key] };
    }
    for (const response of op.responses.values()) {
      const name = Object.keys(response.examples).find((n) => keyOf(response.examples[n]) === key);
      if (name !== undefined) return { status: response.status, example: name, body: response.examples[name] };
    }
    throw fail(
      `${label(op)} documents no error with key ${JSON.stringify(key)}; its examples by status: ${exampleList(op)}`,
    );
  }
  throw fail(`choose a status, an example or an error key; ${label(op)} documents ${statusList(op)}`);
}
