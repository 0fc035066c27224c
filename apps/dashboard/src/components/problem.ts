import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError, errorMessage } from '../api/client';

/**
 * Puts the field errors of a 400 problem at their fields (those the form has) and the rest, or any
 * other failure, in the form-level `root.server` error.
 */
export function applyProblem<T extends FieldValues>(error: unknown, setError: UseFormSetError<T>, fields: readonly string[]): void {
  if (error instanceof ApiError && error.errors.length > 0) {
    const unplaced: string[] = [];
    for (const { field, message } of error.errors) {
      const head = field.split('.')[0]!;
      if (fields.includes(field)) setError(field as Path<T>, { type: 'server', message });
      else if (fields.includes(head)) setError(head as Path<T>, { type: 'server', message });
      else unplaced.push(`${field}: ${message}`);
    }
    if (unplaced.length) setError('root.server', { type: 'server', message: unplaced.join('; ') });
    return;
  }
  setError('root.server', { type: 'server', message: errorMessage(error) });
}
