import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Page } from '@tessera/contracts';
import { SYSTEM_ORIGIN, type AuditEvent, type NewAuditEvent, type RequestOrigin } from './audit-event.js';
import { AuditEventRepository, type AuditFilter } from './audit-event.repository.js';
import { AuditService } from './audit.service.js';

/** Keeps appended events in memory, as the port's single writer would store them. */
class CapturingAuditEventRepository extends AuditEventRepository {
  readonly appended: NewAuditEvent[] = [];
  readonly listCalls: Array<[string, AuditFilter, { limit: number; cursor?: string }]> = [];

  async append(event: NewAuditEvent): Promise<void> {
    this.appended.push(event);
  }

  async list(tenantId: string, filter: AuditFilter, page: { limit: number; cursor?: string }): Promise<Page<AuditEvent>> {
    this.listCalls.push([tenantId, filter, page]);
    return { items: [], next: null };
  }
}

const TENANT = '11111111-1111-4111-8111-111111111111';
const ADMIN: RequestOrigin = { actor: { type: 'admin', id: 'admin-1', label: 'ops@example.test' }, ip: '192.0.2.7', userAgent: 'curl/8' };

describe('AuditService', () => {
  let repository: CapturingAuditEventRepository;
  let service: AuditService;

  const recordDetails = async (details: Record<string, unknown>) => {
    await service.record(ADMIN, TENANT, 'client.updated', { type: 'client', id: 'svc' }, details);
    return repository.appended.at(-1)!.details;
  };

  beforeEach(() => {
    repository = new CapturingAuditEventRepository();
    service = new AuditService(repository);
  });

  it('records who did what to which target, from where', async () => {
    await service.record(ADMIN, TENANT, 'client.created', { type: 'client', id: 'svc' }, { name: 'Service' });
    expect(repository.appended).toEqual([
      {
        tenantId: TENANT,
        action: 'client.created',
        actor: ADMIN.actor,
        target: { type: 'client', id: 'svc' },
        ip: '192.0.2.7',
        userAgent: 'curl/8',
        details: { name: 'Service' },
      },
    ]);
  });

  it('redacts secrets, passwords and tokens at the top level', async () => {
    const details = await recordDetails({
      clientSecret: 'cs-value',
      client_secret: 'cs-value-2',
      password: 'pw-value',
      newPassword: 'pw-value-2',
      access_token: 'at-value',
      refreshToken: 'rt-value',
      client_assertion: 'jwt-value',
      code_verifier: 'cv-value',
      name: 'kept',
    });
    expect(details).toEqual({
      clientSecret: '[redacted]',
      client_secret: '[redacted]',
      password: '[redacted]',
      newPassword: '[redacted]',
      access_token: '[redacted]',
      refreshToken: '[redacted]',
      client_assertion: '[redacted]',
      code_verifier: '[redacted]',
      name: 'kept',
    });
  });

  it('redacts at any depth, inside nested objects and arrays', async () => {
    const details = await recordDetails({
      changes: {
        name: 'New name',
        credentials: { PASSWORD: 'deep-pw', nested: [{ id_token: 'deep-token', keep: 1 }, ['x', { Secret: 'deeper' }]] },
      },
      list: [{ token: 't' }, 'plain', 42, null],
    });
    expect(details).toEqual({
      changes: {
        name: 'New name',
        credentials: { PASSWORD: '[redacted]', nested: [{ id_token: '[redacted]', keep: 1 }, ['x', { Secret: '[redacted]' }]] },
      },
      list: [{ token: '[redacted]' }, 'plain', 42, null],
    });
    const stored = JSON.stringify(repository.appended);
    for (const secret of ['deep-pw', 'deep-token', 'deeper', '"t"']) expect(stored).not.toContain(secret);
  });

  it('redacts a secret-named key whose value is an object, wholesale', async () => {
    const details = await recordDetails({ secrets: { primary: 'p', backup: 'b' }, tokens: ['a', 'b'] });
    expect(details).toEqual({ secrets: '[redacted]', tokens: '[redacted]' });
  });

  it('does not change the caller\'s details object', async () => {
    const original = { password: 'pw', nested: { client_secret: 's' } };
    await recordDetails(original);
    expect(original).toEqual({ password: 'pw', nested: { client_secret: 's' } });
  });

  it('cuts the user agent to 512 characters and records platform events without a tenant', async () => {
    await service.record({ ...ADMIN, userAgent: 'x'.repeat(2000) }, null, 'tenant.created', { type: 'tenant', id: 'acme' });
    await service.record(SYSTEM_ORIGIN, null, 'platform.started', { type: 'platform', id: null });
    expect(repository.appended[0]).toMatchObject({ tenantId: null, userAgent: 'x'.repeat(512), details: {} });
    expect(repository.appended[1]).toMatchObject({ actor: { type: 'system' }, userAgent: null, ip: null });
  });

  it('lists through the repository with the tenant, filter and page it was given', async () => {
    await service.list(TENANT, { action: 'client.created' }, { limit: 10, cursor: '42' });
    expect(repository.listCalls).toEqual([[TENANT, { action: 'client.created' }, { limit: 10, cursor: '42' }]]);
  });
});
