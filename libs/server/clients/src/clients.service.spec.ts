import { beforeEach, describe, expect, it } from '@jest/globals';
import { createHmac, randomBytes } from 'node:crypto';
import { ManualClock } from '@tessera/clock/testing';
import { ConflictError, NotFoundError, ValidationFailedError, type CreateClientInput } from '@tessera/contracts';
import { InvalidClientError, type PresentedClient } from '@tessera/oauth-core';
import { ClientSecretHasher } from './client-secret.hasher.js';
import { ClientsService } from './clients.service.js';
import { InMemoryClientRepository } from './testing/in-memory-client.repository.js';

const TENANT = '11111111-1111-4111-8111-111111111111';

function input(overrides: Partial<CreateClientInput> = {}): CreateClientInput {
  return {
    name: 'Service',
    type: 'confidential',
    redirectUris: [],
    postLogoutRedirectUris: [],
    grantTypes: ['client_credentials'],
    scopes: ['read'],
    firstParty: false,
    accessTokenTtl: 3600,
    refreshTokenTtl: 86_400,
    refreshTokenIdleTtl: 3600,
    idTokenSignedResponseAlg: 'RS256',
    ...overrides,
  };
}

async function expectFieldErrors(promise: Promise<unknown>, fields: string[]): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationFailedError);
  expect((error as ValidationFailedError).errors.map((e) => e.field)).toEqual(fields);
}

describe('ClientsService', () => {
  const key = randomBytes(32);
  let repository: InMemoryClientRepository;
  let service: ClientsService;

  beforeEach(() => {
    repository = new InMemoryClientRepository();
    service = new ClientsService(repository, { secretHashKey: key }, new ManualClock());
  });

  describe('client secrets', () => {
    it('returns a 256-bit secret once and stores only its HMAC-SHA-256 under the hashing key', async () => {
      const { client, clientSecret } = await service.register(TENANT, input(), { clientId: 'svc' });
      expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const stored = (await repository.findByClientId(TENANT, 'svc'))!.secretHash!;
      expect(stored.equals(Buffer.from(clientSecret!))).toBe(false);
      expect(stored.includes(Buffer.from(clientSecret!))).toBe(false);
      expect(stored.equals(createHmac('sha256', key).update(clientSecret!).digest())).toBe(true);
      expect(client.secretHash!.equals(stored)).toBe(true);
    });

    it('gives each confidential client its own secret and no secret to a public client', async () => {
      const a = await service.register(TENANT, input(), { clientId: 'a' });
      const b = await service.register(TENANT, input(), { clientId: 'b' });
      const spa = await service.register(TENANT, input({ type: 'public', grantTypes: ['authorization_code'], redirectUris: ['https://spa.example/cb'] }), {
        clientId: 'spa',
      });
      expect(a.clientSecret).not.toBe(b.clientSecret);
      expect(spa.clientSecret).toBeUndefined();
      expect(spa.client.secretHash).toBeNull();
    });

    it('fails to verify a stored hash under a different hashing key', async () => {
      const { clientSecret } = await service.register(TENANT, input(), { clientId: 'svc' });
      const otherKeyService = new ClientsService(repository, { secretHashKey: randomBytes(32) }, new ManualClock());
      const presented: PresentedClient = { method: 'client_secret_post', clientId: 'svc', clientSecret: clientSecret! };
      await expect(service.authenticate(TENANT, presented)).resolves.toMatchObject({ clientId: 'svc' });
      await expect(otherKeyService.authenticate(TENANT, presented)).rejects.toBeInstanceOf(InvalidClientError);
    });

    it('refuses a hashing key shorter than 32 bytes', () => {
      expect(() => new ClientSecretHasher(randomBytes(16))).toThrow(TypeError);
      expect(() => new ClientsService(repository, { secretHashKey: randomBytes(31) }, new ManualClock())).toThrow(TypeError);
    });

    it('rotateSecret makes the old secret fail and the new one work', async () => {
      const { clientSecret: old } = await service.register(TENANT, input(), { clientId: 'svc' });
      const rotated = await service.rotateSecret(TENANT, 'svc');
      expect(rotated.clientSecret).not.toBe(old);
      expect(rotated.client.secretRotatedAt).toBeInstanceOf(Date);
      await expect(
        service.authenticate(TENANT, { method: 'client_secret_basic', clientId: 'svc', clientSecret: old! }),
      ).rejects.toBeInstanceOf(InvalidClientError);
      await expect(
        service.authenticate(TENANT, { method: 'client_secret_basic', clientId: 'svc', clientSecret: rotated.clientSecret! }),
      ).resolves.toMatchObject({ clientId: 'svc' });
    });

    it('refuses to rotate the secret of a public client (ConflictError) or an unknown one (NotFoundError)', async () => {
      await service.register(TENANT, input({ type: 'public', grantTypes: ['authorization_code'], redirectUris: ['https://a.example/cb'] }), {
        clientId: 'spa',
      });
      await expect(service.rotateSecret(TENANT, 'spa')).rejects.toBeInstanceOf(ConflictError);
      await expect(service.rotateSecret(TENANT, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('authenticate (RFC 6749 section 2.3)', () => {
    let secret: string;

    beforeEach(async () => {
      secret = (await service.register(TENANT, input({ grantTypes: ['client_credentials', 'refresh_token'] }), { clientId: 'svc' })).clientSecret!;
      await service.register(TENANT, input({ type: 'public', grantTypes: ['authorization_code'], redirectUris: ['https://spa.example/cb'] }), {
        clientId: 'spa',
      });
    });

    it('authenticates a confidential client by Basic or by post, returning what grants need', async () => {
      for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
        await expect(service.authenticate(TENANT, { method, clientId: 'svc', clientSecret: secret })).resolves.toMatchObject({
          tenantId: TENANT,
          clientId: 'svc',
          type: 'confidential',
          grantTypes: ['client_credentials', 'refresh_token'],
          scopes: ['read'],
          accessTokenTtl: 3600,
          refreshTokenTtl: 86_400,
          authMethod: method,
        });
      }
    });

    it('authenticates a public client presenting only its client_id (method none)', async () => {
      await expect(service.authenticate(TENANT, { method: 'none', clientId: 'spa' })).resolves.toMatchObject({
        clientId: 'spa',
        type: 'public',
        authMethod: 'none',
      });
    });

    it.each<[string, PresentedClient]>([
      ['a wrong secret', { method: 'client_secret_post', clientId: 'svc', clientSecret: 'wrong' }],
      ['an empty secret', { method: 'client_secret_post', clientId: 'svc', clientSecret: '' }],
      ['an unknown client', { method: 'client_secret_post', clientId: 'ghost', clientSecret: 'anything' }],
      ['an unknown client without a secret', { method: 'none', clientId: 'ghost' }],
      ['a public client presenting a secret', { method: 'client_secret_post', clientId: 'spa', clientSecret: 'anything' }],
      ['a confidential client with method none', { method: 'none', clientId: 'svc' }],
    ])('answers invalid_client for %s, without a Basic challenge when Basic was not used', async (_label, presented) => {
      const error = await service.authenticate(TENANT, presented).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidClientError);
      expect((error as InvalidClientError).basicScheme).toBe(false);
      expect((error as InvalidClientError).status).toBe(401);
    });

    it.each([
      ['a wrong secret', 'svc', 'wrong'],
      ['an unknown client', 'ghost', 'anything'],
      ['a public client', 'spa', 'anything'],
    ])('answers invalid_client with basicScheme true for %s sent by HTTP Basic', async (_label, clientId, clientSecret) => {
      const error = await service
        .authenticate(TENANT, { method: 'client_secret_basic', clientId, clientSecret })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidClientError);
      expect((error as InvalidClientError).basicScheme).toBe(true);
    });

    it('does not find a client of another tenant', async () => {
      const other = '22222222-2222-4222-8222-222222222222';
      await expect(service.authenticate(other, { method: 'client_secret_post', clientId: 'svc', clientSecret: secret })).rejects.toBeInstanceOf(
        InvalidClientError,
      );
    });

    it('rejects an over-long client_id without looking it up', async () => {
      repository.lookups.length = 0;
      await expect(
        service.authenticate(TENANT, { method: 'client_secret_post', clientId: 'x'.repeat(201), clientSecret: secret }),
      ).rejects.toBeInstanceOf(InvalidClientError);
      expect(repository.lookups).toEqual([]);
    });
  });

  describe('shape checks', () => {
    it('accepts https and loopback http redirect URIs', async () => {
      const { client } = await service.register(
        TENANT,
        input({
          grantTypes: ['authorization_code'],
          redirectUris: ['https://app.example/cb', 'http://127.0.0.1/cb', 'http://localhost:8080/cb', 'com.example.app:/cb'],
        }),
      );
      expect(client.redirectUris).toHaveLength(4);
    });

    it('rejects a redirect URI with a fragment (RFC 6749 section 3.1.2) on the field that holds it', async () => {
      await expectFieldErrors(
        service.register(TENANT, input({ grantTypes: ['authorization_code'], redirectUris: ['https://ok.example/cb', 'https://app.example/cb#frag'] })),
        ['redirectUris.1'],
      );
    });

    it('rejects plain http to a non-loopback host, and relative or javascript: URIs', async () => {
      await expectFieldErrors(
        service.register(
          TENANT,
          input({
            grantTypes: ['authorization_code'],
            redirectUris: ['http://app.example/cb', '/relative', 'javascript:alert(1)'],
            postLogoutRedirectUris: ['http://evil.example/bye'],
          }),
        ),
        ['redirectUris.0', 'redirectUris.1', 'redirectUris.2', 'postLogoutRedirectUris.0'],
      );
    });

    it('refuses vbscript:, blob: and dot-less private-use schemes as the dashboard does (RFC 8252 section 7.1)', async () => {
      await expectFieldErrors(
        service.register(
          TENANT,
          input({ grantTypes: ['authorization_code'], redirectUris: ['vbscript:msgbox(1)', 'blob:https://a.example/x', 'myapp:/cb'] }),
        ),
        ['redirectUris.0', 'redirectUris.1', 'redirectUris.2'],
      );
      expect(repository.rows.size).toBe(0);
    });

    it('checks the URIs a change sends, and lets an unrelated change through a URI stored under an older rule', async () => {
      await service.register(TENANT, input({ grantTypes: ['authorization_code'], redirectUris: ['https://a.example/cb'] }), { clientId: 'old' });
      await repository.update(TENANT, 'old', { redirectUris: ['myapp:/cb'] });
      await expect(service.update(TENANT, 'old', { name: 'Renamed' })).resolves.toMatchObject({ name: 'Renamed', redirectUris: ['myapp:/cb'] });
      await expectFieldErrors(service.update(TENANT, 'old', { postLogoutRedirectUris: ['data:text/html,x'] }), ['postLogoutRedirectUris.0']);
    });

    it('requires a redirect URI for the authorization code grant', async () => {
      await expectFieldErrors(service.register(TENANT, input({ grantTypes: ['authorization_code'], redirectUris: [] })), ['redirectUris']);
    });

    it('refuses client_credentials and password for a public client', async () => {
      await expectFieldErrors(service.register(TENANT, input({ type: 'public', grantTypes: ['client_credentials'] })), ['grantTypes']);
      await expectFieldErrors(service.register(TENANT, input({ type: 'public', grantTypes: ['password'] })), ['grantTypes']);
      expect(repository.rows.size).toBe(0);
    });

    it('checks an update against the client it would produce', async () => {
      await service.register(TENANT, input({ type: 'public', grantTypes: ['authorization_code'], redirectUris: ['https://a.example/cb'] }), {
        clientId: 'spa',
      });
      await expectFieldErrors(service.update(TENANT, 'spa', { grantTypes: ['authorization_code', 'client_credentials'] }), ['grantTypes']);
      await expectFieldErrors(service.update(TENANT, 'spa', { redirectUris: [] }), ['redirectUris']);
      const updated = await service.update(TENANT, 'spa', { name: 'Renamed', scopes: ['a', 'a', 'b'] });
      expect(updated).toMatchObject({ name: 'Renamed', scopes: ['a', 'b'], redirectUris: ['https://a.example/cb'] });
    });

    it('removes duplicate grant types and scopes on registration', async () => {
      const { client } = await service.register(TENANT, input({ grantTypes: ['client_credentials', 'client_credentials'], scopes: ['x', 'y', 'x'] }));
      expect(client.grantTypes).toEqual(['client_credentials']);
      expect(client.scopes).toEqual(['x', 'y']);
    });
  });

  describe('lifecycle', () => {
    it('answers NotFoundError for an unknown client and refuses to delete a built-in one', async () => {
      await expect(service.get(TENANT, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.delete(TENANT, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
      await service.register(TENANT, input(), { clientId: 'dashboard', builtIn: true });
      await expect(service.delete(TENANT, 'dashboard')).rejects.toBeInstanceOf(ConflictError);
      await service.register(TENANT, input(), { clientId: 'plain' });
      await expect(service.delete(TENANT, 'plain')).resolves.toMatchObject({ clientId: 'plain' });
      expect(await service.find(TENANT, 'plain')).toBeNull();
    });

    it('setSecret installs a given secret (bootstrap) that then authenticates', async () => {
      await service.register(TENANT, input(), { clientId: 'bootstrap' });
      await service.setSecret(TENANT, 'bootstrap', 'configured-secret-value');
      await expect(
        service.authenticate(TENANT, { method: 'client_secret_post', clientId: 'bootstrap', clientSecret: 'configured-secret-value' }),
      ).resolves.toMatchObject({ clientId: 'bootstrap' });
    });
  });
});
