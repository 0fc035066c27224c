import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { TenantRole } from '@tessera/contracts';

/**
 * What a route of the admin API needs, declared on every route and enforced by AdminAuthGuard
 * (which refuses a route that declares nothing):
 * - a tenant role (`viewer`, `admin`, `owner`): in the tenant of the route's `:slug` (platform
 *   admins hold every role everywhere);
 * - `platform`: a platform admin;
 * - `signed-in`: any caller the admin API accepts (routes that show only what the caller may see).
 */
export type AdminAccess = TenantRole | 'platform' | 'signed-in';

export const ADMIN_ACCESS = 'tessera:admin-access';

/** Declares the access a route needs; OpenAPI shows it as `x-required-role`. */
export const RequireRole = (access: AdminAccess): MethodDecorator =>
  applyDecorators(SetMetadata(ADMIN_ACCESS, access), ApiExtension('x-required-role', access));
