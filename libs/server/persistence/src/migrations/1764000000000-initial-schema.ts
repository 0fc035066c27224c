import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema, meant for all of CONTRACT.md: tables that later capabilities fill in (users'
 * consents, refresh-token families, tenant members) exist from the start. Every row a tenant owns
 * carries `tenant_id` and dies with its tenant (ON DELETE CASCADE); audit events keep the tenant id
 * without a foreign key so the record of a deleted tenant survives it.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug varchar(32) NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$'),
        display_name varchar(200) NOT NULL,
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE scopes (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name varchar(128) NOT NULL,
        description varchar(500) NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, name)
      )`);
    await q.query(`
      CREATE TABLE clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        client_id varchar(200) NOT NULL,
        name varchar(200) NOT NULL,
        type varchar(16) NOT NULL CHECK (type IN ('confidential', 'public')),
        secret_hash bytea,
        secret_rotated_at timestamptz,
        redirect_uris text[] NOT NULL DEFAULT '{}',
        post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
        grant_types text[] NOT NULL DEFAULT '{}',
        scopes text[] NOT NULL DEFAULT '{}',
        first_party boolean NOT NULL DEFAULT false,
        built_in boolean NOT NULL DEFAULT false,
        access_token_ttl integer NOT NULL CHECK (access_token_ttl > 0),
        refresh_token_ttl integer NOT NULL CHECK (refresh_token_ttl > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, client_id),
        CHECK ((type = 'confidential') = (secret_hash IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX clients_tenant_created ON clients (tenant_id, created_at, id)`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        username varchar(200) NOT NULL,
        email varchar(320),
        email_verified boolean NOT NULL DEFAULT false,
        name varchar(200),
        password_hash text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_tenant_username ON users (tenant_id, lower(username))`);
    await q.query(`CREATE INDEX users_tenant_created ON users (tenant_id, created_at, id)`);
    await q.query(`
      CREATE TABLE tenant_members (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role varchar(16) NOT NULL CHECK (role IN ('owner', 'admin', 'viewer')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, user_id)
      )`);
    await q.query(`CREATE INDEX tenant_members_user ON tenant_members (user_id)`);
    await q.query(`
      CREATE TABLE consents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        client_ref uuid NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        UNIQUE (tenant_id, user_id, client_ref)
      )`);
    await q.query(`CREATE INDEX consents_client ON consents (client_ref)`);
    await q.query(`
      CREATE TABLE signing_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        kid varchar(64) NOT NULL UNIQUE,
        alg varchar(16) NOT NULL,
        public_jwk jsonb NOT NULL,
        private_key_sealed bytea NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('active', 'retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz,
        publish_until timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (tenant_id) WHERE status = 'active'`);
    await q.query(`CREATE INDEX signing_keys_tenant ON signing_keys (tenant_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE refresh_token_families (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        client_ref uuid NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        scopes text[] NOT NULL,
        auth_time timestamptz,
        code_id varchar(64),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason varchar(64)
      )`);
    await q.query(`CREATE INDEX refresh_families_client ON refresh_token_families (tenant_id, client_ref)`);
    await q.query(`CREATE INDEX refresh_families_user ON refresh_token_families (tenant_id, user_id)`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        token_hash bytea PRIMARY KEY,
        family_id uuid NOT NULL REFERENCES refresh_token_families(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz
      )`);
    await q.query(`CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)`);
    await q.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid,
        action varchar(100) NOT NULL,
        actor_type varchar(16) NOT NULL,
        actor_id varchar(200),
        actor_label varchar(320),
        target_type varchar(50) NOT NULL,
        target_id varchar(200),
        ip varchar(64),
        user_agent varchar(512),
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_events_tenant ON audit_events (tenant_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_events',
      'refresh_tokens',
      'refresh_token_families',
      'signing_keys',
      'consents',
      'tenant_members',
      'users',
      'clients',
      'scopes',
      'tenants',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
