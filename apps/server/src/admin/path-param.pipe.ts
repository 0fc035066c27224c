import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { hasControlCharacters, NotFoundError } from '@tessera/contracts';

/**
 * No slug, client id, user id or scope name contains a control character, so a path segment that
 * does names nothing: 404 here, before a NUL byte can reach PostgreSQL (which refuses it in text).
 */
@Injectable()
export class PathParamPipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'param' && typeof value === 'string' && hasControlCharacters(value)) {
      throw new NotFoundError('no such resource');
    }
    return value;
  }
}
