import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tokens issued per tenant, grant type and hour: counted in memory by each server process and
 * added here with one upsert every few seconds, instead of a row per token request.
 */
export class TokenIssuanceStats1764200000000 implements MigrationInterface {
  name = 'TokenIssuanceStats1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE token_issuance_stats (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        hour timestamptz NOT NULL,
        grant_type varchar(64) NOT NULL,
        count bigint NOT NULL CHECK (count >= 0),
        PRIMARY KEY (tenant_id, hour, grant_type)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE token_issuance_stats`);
  }
}
