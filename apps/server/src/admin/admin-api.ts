import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminAuthGuard } from './admin-auth.guard.js';

export const ADMIN_API_BASE = 'admin/api/v1';

/** Marks a controller as part of the admin API: base path, bearer auth, OpenAPI tag. */
export function AdminApiController(tag: string, path = ''): ClassDecorator {
  return applyDecorators(
    Controller(`${ADMIN_API_BASE}${path}`),
    UseGuards(AdminAuthGuard),
    ApiBearerAuth(),
    ApiTags(tag),
  );
}
