import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError, errorMessage } from '../api/client';

/**
 * Puts the field errors of a 400 problem (RFC 9457 `errors[]`, the API's own messages) at the form
 * fields they concern, and the rest, or any other failure, in the form-level `root.server` error.
 * `fieldOf` names the form field of an API field: the form's field names when they are the API's,
 * or a function for forms whose shape differs (URI rows, nested settings).
 */
export function applyProblem<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fieldOf: readonly string[] | ((field: string) => string | null),
  options: { focus?: boolean; detailWhenPlaced?: boolean } = {},
): void {
  if (!(error instanceof ApiError && error.errors.length > 0)) {
    setError('root.server', { type: 'server', message: errorMessage(error) });
    return;
  }
  const place = typeof fieldOf === 'function' ? fieldOf : (field: string) => listedField(fieldOf, field);
  const unplaced: string[] = [];
  for (const { field, message } of error.errors) {
    const target = place(field);
    if (target) setError(target as Path<T>, { type: 'server', message }, options.focus ? { shouldFocus: true } : undefined);
    else unplaced.push(`${field}: ${message}`);
  }
  if (unplaced.length) setError('root.server', { type: 'server', message: unplaced.join('; ') });
  else if (options.detailWhenPlaced) setError('root.server', { type: 'server', message: error.detail });
}

/** The field itself when the form has it, else its first segment (`scopes.1` → `scopes`). */
function listedField(fields: readonly string[], field: string): string | null {
  if (fields.includes(field)) return field;
  const head = field.split('.')[0]!;
  return fields.includes(head) ? head : null;
}
