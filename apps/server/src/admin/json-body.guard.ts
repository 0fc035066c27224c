import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { UnsupportedMediaTypeError } from '@tessera/contracts';
import type { FastifyRequest } from 'fastify';

/**
 * The admin API speaks JSON only. Without this, a form-encoded body (which Fastify parses into an
 * object as well) would pass the same schemas, so `slug=x&displayName=y` would create a tenant.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const length = Number(request.headers['content-length'] ?? 0);
    const hasBody = length > 0 || request.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return true;
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw new UnsupportedMediaTypeError('the request body must be application/json');
    return true;
  }
}
