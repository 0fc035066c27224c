import { Injectable } from '@nestjs/common';
import { RefreshTokenService } from './refresh-token.service.js';
import { TokenStatusService } from './token-status.service.js';

/** The two ids of a client: the row id refresh families point at, and the public `client_id` of its tokens. */
export interface ClientIds {
  ref: string;
  clientId: string;
}

/**
 * Revokes whole grants: the refresh families and, through their `gid` and the bulk markers, every
 * access token minted from them. Families go first, so an access token minted by a refresh racing
 * the revocation still carries a `gid` that is revoked next.
 */
@Injectable()
export class GrantRevocationService {
  constructor(
    private readonly status: TokenStatusService,
    private readonly refreshTokens: RefreshTokenService,
  ) {}

  /** Every token of one user at one client (a withdrawn consent). Returns the revoked grant ids. */
  async revokeUserAtClient(tenantId: string, client: ClientIds, userId: string, reason: string): Promise<string[]> {
    const grants = await this.revokeFamilies(tenantId, { clientRef: client.ref, userId }, reason);
    await this.status.revokeAllOfClientSubject(tenantId, client.clientId, userId);
    return grants;
  }

  async revokeClient(tenantId: string, client: ClientIds, reason: string): Promise<string[]> {
    const grants = await this.revokeFamilies(tenantId, { clientRef: client.ref }, reason);
    await this.status.revokeAllOfClient(tenantId, client.clientId);
    return grants;
  }

  async revokeUser(tenantId: string, userId: string, reason: string): Promise<string[]> {
    const grants = await this.revokeFamilies(tenantId, { userId }, reason);
    await this.status.revokeAllOfSubject(tenantId, userId);
    return grants;
  }

  /** One grant: its refresh family (if it has one) and every access token carrying its `gid`. */
  async revokeGrant(tenantId: string, grantId: string, reason: string): Promise<void> {
    await this.refreshTokens.revokeFamily(tenantId, grantId, reason);
    await this.status.revokeGrant(tenantId, grantId);
  }

  private async revokeFamilies(tenantId: string, filter: { clientRef?: string; userId?: string }, reason: string): Promise<string[]> {
    // An empty filter would match every family of the tenant: never what a caller means.
    if (filter.clientRef === undefined && filter.userId === undefined) throw new Error('revokeFamilies needs a client or a user');
    const ids = await this.refreshTokens.revokeWhere(tenantId, filter, reason);
    await Promise.all(ids.map((id) => this.status.revokeGrant(tenantId, id)));
    return ids;
  }
}
