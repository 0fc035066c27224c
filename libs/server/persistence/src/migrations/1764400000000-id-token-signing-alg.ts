import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * RS256 ID tokens (OIDC Core 15.1): a tenant keeps one active key per algorithm (ES256 and RS256;
 * tenants from before get their RS256 key on first need), and each client says which algorithm signs
 * its ID tokens. Clients from before keep ES256, what they have been verifying. The application
 * always names the algorithm (RS256 for new clients, the OIDC default); the column default ES256
 * serves rows written without it, such as by a server of the previous version during a rolling update.
 */
export class IdTokenSigningAlg1764400000000 implements MigrationInterface {
  name = 'IdTokenSigningAlg1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX signing_keys_one_active`);
    await q.query(`CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (tenant_id, alg) WHERE status = 'active'`);
    await q.query(
      `ALTER TABLE clients ADD COLUMN id_token_signed_response_alg varchar(16) NOT NULL DEFAULT 'ES256'
         CHECK (id_token_signed_response_alg IN ('RS256', 'ES256'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clients DROP COLUMN id_token_signed_response_alg`);
    await q.query(`DELETE FROM signing_keys WHERE alg = 'RS256'`);
    await q.query(`DROP INDEX signing_keys_one_active`);
    await q.query(`CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (tenant_id) WHERE status = 'active'`);
  }
}
