import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A per-user version of sign-ins: a new password or disabling the user moves it on, and a browser
 * session or authorization code made at an older version no longer stands. Every user starts at 0,
 * the version sessions from before this column count as.
 */
export class UserSessionVersion1764300000000 implements MigrationInterface {
  name = 'UserSessionVersion1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN session_version integer NOT NULL DEFAULT 0 CHECK (session_version >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN session_version`);
  }
}
