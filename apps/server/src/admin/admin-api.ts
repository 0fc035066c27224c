import { applyDecorators, Controller, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminAuthGuard } from './admin-auth.guard.js';
import { JsonBodyGuard } from './json-body.guard.js';
import { PathParamPipe } from './path-param.pipe.js';

export const ADMIN_API_BASE = 'admin/api/v1';

/** Marks a controller as part of the admin API: base path, bearer auth, JSON bodies, sane path parameters, OpenAPI tag. */
export function AdminApiController(tag: string, path = ''): ClassDecorator {
  return applyDecorators(
    Controller(`${ADMIN_API_BASE}${path}`),
    UseGuards(AdminAuthGuard, JsonBodyGuard),
    UsePipes(PathParamPipe),
    ApiBearerAuth(),
    ApiTags(tag),
  );
}
