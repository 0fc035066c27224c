import { ClientRepository, type Client, type ClientPatch, type NewClient } from '@tessera/clients';
import type { GrantType, Page } from '@tessera/contracts';
import type { DataSource, Repository } from 'typeorm';
import { ClientEntity } from '../entities/client.entity.js';
import { conflictOnDuplicate, keysetPage } from './keyset-page.js';
import { PreparedLookup } from './prepared-lookup.js';

export class TypeOrmClientRepository extends ClientRepository {
  private readonly repo: Repository<ClientEntity>;
  /** Every token request of a client not in the cache (ClientsService) comes through here. */
  private readonly byClientId: PreparedLookup<ClientEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.repo = dataSource.getRepository(ClientEntity);
    this.byClientId = new PreparedLookup(dataSource, ClientEntity, ['tenantId', 'clientId']);
  }

  async create(client: NewClient): Promise<Client> {
    try {
      return toClient(await this.repo.save(this.repo.create(client)));
    } catch (error) {
      conflictOnDuplicate(error, `client ${client.clientId} already exists in this tenant`);
    }
  }

  async findByClientId(tenantId: string, clientId: string): Promise<Client | null> {
    const row = await this.byClientId.one([tenantId, clientId]);
    return row ? toClient(row) : null;
  }

  list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Client>> {
    return keysetPage(this.repo.createQueryBuilder('c').where('c.tenant_id = :tenantId', { tenantId }), 'c', page, toClient);
  }

  async update(tenantId: string, clientId: string, patch: ClientPatch): Promise<Client | null> {
    const row = await this.repo.findOneBy({ tenantId, clientId });
    if (!row) return null;
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (row as unknown as Record<string, unknown>)[key] = value;
    }
    return toClient(await this.repo.save(row));
  }

  async delete(tenantId: string, clientId: string): Promise<boolean> {
    const result = await this.repo.delete({ tenantId, clientId });
    return (result.affected ?? 0) > 0;
  }

  async maxAccessTokenTtl(tenantId: string): Promise<number> {
    const row = await this.repo
      .createQueryBuilder('c')
      .select('COALESCE(MAX(c.access_token_ttl), 0)', 'max')
      .where('c.tenant_id = :tenantId', { tenantId })
      .getRawOne<{ max: number | string }>();
    return Number(row?.max ?? 0);
  }
}

function toClient(row: ClientEntity): Client {
  return {
    id: row.id,
    tenantId: row.tenantId,
    clientId: row.clientId,
    name: row.name,
    type: row.type,
    secretHash: row.secretHash,
    secretRotatedAt: row.secretRotatedAt,
    redirectUris: row.redirectUris,
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    grantTypes: row.grantTypes as GrantType[],
    scopes: row.scopes,
    firstParty: row.firstParty,
    builtIn: row.builtIn,
    accessTokenTtl: row.accessTokenTtl,
    refreshTokenTtl: row.refreshTokenTtl,
    refreshTokenIdleTtl: row.refreshTokenIdleTtl,
    idTokenSignedResponseAlg: row.idTokenSignedResponseAlg,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
