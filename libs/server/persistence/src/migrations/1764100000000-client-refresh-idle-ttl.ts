import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Idle lifetime of refresh tokens per client (until now one fixed value for every client). */
export class ClientRefreshIdleTtl1764100000000 implements MigrationInterface {
  name = 'ClientRefreshIdleTtl1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE clients ADD COLUMN refresh_token_idle_ttl integer NOT NULL DEFAULT 1209600 CHECK (refresh_token_idle_ttl > 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clients DROP COLUMN refresh_token_idle_ttl`);
  }
}
