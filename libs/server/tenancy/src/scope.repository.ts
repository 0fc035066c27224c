import type { Page } from '@tessera/contracts';
import type { Scope } from './scope.js';

/** Storage port for tenant-defined scopes. */
export abstract class ScopeRepository {
  /** Inserts; throws ConflictError when the name exists in the tenant. */
  abstract create(scope: Omit<Scope, 'createdAt'>): Promise<Scope>;
  abstract list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Scope>>;
  abstract findMany(tenantId: string, names: readonly string[]): Promise<Scope[]>;
  abstract findNames(tenantId: string, names: readonly string[]): Promise<string[]>;
  abstract delete(tenantId: string, name: string): Promise<boolean>;
}
