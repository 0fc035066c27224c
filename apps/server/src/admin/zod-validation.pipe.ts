import type { PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '@tessera/contracts';
import type { z } from 'zod';

/**
 * One zod schema validates a request part, types it and documents it in OpenAPI. Failures become
 * field-level errors of a 400 problem.
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    /** Public so that the OpenAPI document can describe what this pipe accepts (openapi.ts). */
    readonly schema: S,
    readonly part: 'body' | 'query' = 'body',
  ) {}

  transform(value: unknown): z.output<S> {
    const input = this.part === 'body' && (value === undefined || value === null) ? {} : value;
    const result = this.schema.safeParse(input);
    if (result.success) return result.data;
    throw new ValidationFailedError(
      result.error.issues.slice(0, 50).map((issue) => ({
        field: issue.path.length > 0 ? issue.path.map(String).join('.') : `(${this.part})`,
        message: issue.message,
      })),
    );
  }
}
