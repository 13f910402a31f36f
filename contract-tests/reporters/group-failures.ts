/**
 * Violations as a reader wants them: one line per kind of violation, not per
 * place. Failures are grouped by request (method and path), the part at fault
 * and the JSON pointer *pattern*, list indexes replaced by `*`: one unknown
 * field in 17 list items is `/publications/*\/internal_flag ×17`, once. The
 * console, JUnit and the exit line all print these groups, in the same order,
 * so the exit line's "first:" is the first violation printed.
 */
import type { LocatedFailure } from '../report';

export interface FailureGroup {
  /** The first failure of the group: its request, scenario and status are the ones shown. */
  failure: LocatedFailure;
  /** The pointer with every list index as `*` (the header's name, for a header). */
  pattern: string;
  /** How many places (failures) the group holds. */
  places: number;
  /** How many different answers they were found in. */
  answers: number;
  /** The different values received, in first-seen order. */
  received: string[];
}

/** `/publications/3/voucher/categories/0/id` → `/publications/*\/voucher/categories/*\/id`. */
export function pointerPattern(pointer: string): string {
  return pointer
    .split('/')
    .map((part, i) => (i > 0 && /^\d+$/.test(part) ? '*' : part))
    .join('/');
}

export function groupFailures(failures: readonly LocatedFailure[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup & { exchanges: Set<number> }>();
  for (const failure of failures) {
    const pattern = failure.where === 'body' ? pointerPattern(failure.pointer) : failure.pointer;
    const key = [
      failure.method,
      failure.path.split('?')[0],
      failure.where,
      pattern,
      failure.keyword,
      failure.documented,
    ].join('\u0000');
    const group = groups.get(key);
    if (group) {
      group.places++;
      group.exchanges.add(failure.exchangeId);
      if (!group.received.includes(failure.received)) group.received.push(failure.received);
    } else {
      groups.set(key, {
        failure,
        pattern,
        places: 1,
        answers: 1,
        received: [failure.received],
        exchanges: new Set([failure.exchangeId]),
      });
    }
  }
  return [...groups.values()].map(({ exchanges, ...group }) => ({ ...group, answers: exchanges.size }));
}

const MAX_VALUES = 3;

/** `at /publications/*\/internal_flag ×17: Received true / Documented no such property`. */
export function formatGroup(group: FailureGroup): string {
  const { failure } = group;
  const at =
    failure.where === 'status'
      ? 'status'
      : failure.where === 'header'
        ? `header ${group.pattern}`
        : group.pattern || '(body)';
  const count = group.places > 1 ? ` ×${group.places}` : '';
  const shown = group.received.slice(0, MAX_VALUES).join(', ');
  const others = group.received.length > MAX_VALUES ? ` and ${group.received.length - MAX_VALUES} other values` : '';
  return `at ${at}${count}: Received ${shown}${others} / Documented ${failure.documented}`;
}

/** The request line above a group: method, path, status, scenario and role, and in how many answers it was seen. */
export function formatGroupRequest(group: FailureGroup): string {
  const { failure } = group;
  const answered = failure.status === undefined ? '' : ` → ${failure.status}`;
  const repeat = group.answers > 1 ? ` (in ${group.answers} answers)` : '';
  return `${failure.method} ${failure.path}${answered} [${failure.scenario}/${failure.label}]${repeat}`;
}
