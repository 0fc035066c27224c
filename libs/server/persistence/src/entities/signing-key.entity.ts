import type { JsonWebKey } from 'node:crypto';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ type: 'varchar', length: 64, unique: true }) kid: string;
  @Column({ type: 'varchar', length: 16 }) alg: 'ES256' | 'RS256';
  @Column({ name: 'public_jwk', type: 'jsonb' }) publicJwk: JsonWebKey;
  @Column({ name: 'private_key_sealed', type: 'bytea' }) privateKeySealed: Buffer;
  @Column({ type: 'varchar', length: 16 }) status: 'active' | 'retired';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true }) retiredAt: Date | null;
  @Column({ name: 'publish_until', type: 'timestamptz', nullable: true }) publishUntil: Date | null;
}
