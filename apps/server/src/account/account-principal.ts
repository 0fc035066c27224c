import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { TenantContext } from '@tessera/oauth-core';
import type { FastifyRequest } from 'fastify';

/** The end user calling the account API, from a live access token of their tenant with scope `account`. */
export interface AccountPrincipal {
  tenant: TenantContext;
  userId: string;
  /** The client the token was issued to (normally the built-in `account` client). */
  clientId: string;
}

export type AccountRequest = FastifyRequest & { accountPrincipal?: AccountPrincipal };

export const AccountUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AccountPrincipal => {
  const request = ctx.switchToHttp().getRequest<AccountRequest>();
  if (!request.accountPrincipal) throw new Error('AccountUser used on a route without AccountAuthGuard');
  return request.accountPrincipal;
});
