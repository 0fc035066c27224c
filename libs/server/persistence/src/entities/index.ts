import { AuditEventEntity } from './audit-event.entity.js';
import { ClientEntity } from './client.entity.js';
import { ConsentEntity } from './consent.entity.js';
import { RefreshTokenFamilyEntity } from './refresh-token-family.entity.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { ScopeEntity } from './scope.entity.js';
import { SigningKeyEntity } from './signing-key.entity.js';
import { TenantMemberEntity } from './tenant-member.entity.js';
import { TenantEntity } from './tenant.entity.js';
import { UserEntity } from './user.entity.js';

export {
  AuditEventEntity,
  ClientEntity,
  ConsentEntity,
  RefreshTokenEntity,
  RefreshTokenFamilyEntity,
  ScopeEntity,
  SigningKeyEntity,
  TenantEntity,
  TenantMemberEntity,
  UserEntity,
};

export const ENTITIES = [
  TenantEntity,
  ScopeEntity,
  ClientEntity,
  UserEntity,
  TenantMemberEntity,
  ConsentEntity,
  SigningKeyEntity,
  RefreshTokenFamilyEntity,
  RefreshTokenEntity,
  AuditEventEntity,
];
