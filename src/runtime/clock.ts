/**
 * Time, injected: the system clock, or one frozen at an instant (`MOCK_NOW`)
 * so that the same requests give byte-identical answers.
 */
export interface Clock {
  /** The current instant as ISO 8601 with milliseconds and `Z`, the API's timestamp format. */
  nowIso(): string;
}

export function systemClock(): Clock {
  return { nowIso: () => new Date().toISOString() };
}

export function frozenClock(instant: string): Clock {
  const iso = new Date(instant).toISOString();
  return { nowIso: () => iso };
}

/** Parses a user-given instant; undefined when it is not a valid date. */
export function parseInstant(text: string): string | undefined {
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
