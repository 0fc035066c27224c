import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, type FieldError, type Page } from '@tessera/contracts';
import { BUILT_IN_SCOPE_DESCRIPTIONS, type Scope } from './scope.js';
import { ScopeRepository } from './scope.repository.js';

@Injectable()
export class ScopesService {
  constructor(private readonly repository: ScopeRepository) {}

  isBuiltIn(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(BUILT_IN_SCOPE_DESCRIPTIONS, name);
  }

  async create(tenantId: string, name: string, description: string): Promise<Scope> {
    if (this.isBuiltIn(name)) throw new ConflictError(`scope ${name} is built in`);
    return this.repository.create({ tenantId, name, description });
  }

  /** Tenant-defined scopes only; built-in scopes are listed by the caller. */
  list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Scope>> {
    return this.repository.list(tenantId, page);
  }

  async delete(tenantId: string, name: string): Promise<void> {
    if (this.isBuiltIn(name)) throw new ConflictError(`scope ${name} is built in and cannot be deleted`);
    if (!(await this.repository.delete(tenantId, name))) throw new NotFoundError(`scope ${name} does not exist`);
  }

  /** Descriptions of tenant-defined scopes, by name (for the consent page). */
  async describe(tenantId: string, names: readonly string[]): Promise<Map<string, string>> {
    const custom = names.filter((n) => !this.isBuiltIn(n));
    if (custom.length === 0) return new Map();
    const found = await this.repository.findMany(tenantId, custom);
    return new Map(found.map((s) => [s.name, s.description]));
  }

  /** Field errors for scopes a client asks for that the tenant does not define. */
  async unknownScopes(tenantId: string, names: readonly string[], field: string): Promise<FieldError[]> {
    const custom = names.filter((n) => !this.isBuiltIn(n));
    if (custom.length === 0) return [];
    const known = new Set(await this.repository.findNames(tenantId, custom));
    return names.flatMap((n, i) =>
      this.isBuiltIn(n) || known.has(n) ? [] : [{ field: `${field}.${i}`, message: `scope ${n} is not defined in this tenant` }],
    );
  }
}
