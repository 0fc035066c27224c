import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'clients' })
export class ClientEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'client_id', type: 'varchar', length: 200 }) clientId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'varchar', length: 16 }) type: 'confidential' | 'public';
  @Column({ name: 'secret_hash', type: 'bytea', nullable: true }) secretHash: Buffer | null;
  @Column({ name: 'secret_rotated_at', type: 'timestamptz', nullable: true }) secretRotatedAt: Date | null;
  @Column({ name: 'redirect_uris', type: 'text', array: true }) redirectUris: string[];
  @Column({ name: 'post_logout_redirect_uris', type: 'text', array: true }) postLogoutRedirectUris: string[];
  @Column({ name: 'grant_types', type: 'text', array: true }) grantTypes: string[];
  @Column({ type: 'text', array: true }) scopes: string[];
  @Column({ name: 'first_party', type: 'boolean' }) firstParty: boolean;
  @Column({ name: 'built_in', type: 'boolean' }) builtIn: boolean;
  @Column({ name: 'access_token_ttl', type: 'integer' }) accessTokenTtl: number;
  @Column({ name: 'refresh_token_ttl', type: 'integer' }) refreshTokenTtl: number;
  @Column({ name: 'refresh_token_idle_ttl', type: 'integer' }) refreshTokenIdleTtl: number;
  @Column({ name: 'id_token_signed_response_alg', type: 'varchar', length: 16 }) idTokenSignedResponseAlg: 'RS256' | 'ES256';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
