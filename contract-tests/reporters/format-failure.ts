/**
 * One failure in one line: where it is (the status, a header, or a JSON pointer
 * into the body) and "Received … / Documented …".
 */
import type { Failure } from '../checks/check-outcome';

export function formatFailure(failure: Failure): string {
  const at = failure.where === 'status' ? 'status' : failure.where === 'header' ? `header ${failure.pointer}` : failure.pointer || '(body)';
  return `at ${at}: Received ${failure.received} / Documented ${failure.documented}`;
}
