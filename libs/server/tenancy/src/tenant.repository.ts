import type { Page } from '@tessera/contracts';
import type { Tenant, TenantSettings } from './tenant.js';

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** Storage port for tenants (implemented in `@tessera/persistence`). */
export abstract class TenantRepository {
  /** Inserts; throws ConflictError when the slug is taken. */
  abstract create(input: { slug: string; displayName: string; settings: TenantSettings }): Promise<Tenant>;
  abstract findBySlug(slug: string): Promise<Tenant | null>;
  abstract findById(id: string): Promise<Tenant | null>;
  /** `onlyIds` restricts the list to the tenants an admin may see. */
  abstract list(page: PageRequest, onlyIds?: readonly string[]): Promise<Page<Tenant>>;
  abstract update(id: string, patch: { displayName?: string; settings?: TenantSettings }): Promise<Tenant>;
  /** Deletes the tenant and, by cascade, everything it owns. */
  abstract delete(id: string): Promise<void>;
}
