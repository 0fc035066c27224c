import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ type: 'varchar', length: 200 }) username: string;
  @Column({ type: 'varchar', length: 320, nullable: true }) email: string | null;
  @Column({ name: 'email_verified', type: 'boolean' }) emailVerified: boolean;
  @Column({ type: 'varchar', length: 200, nullable: true }) name: string | null;
  @Column({ name: 'password_hash', type: 'text' }) passwordHash: string;
  @Column({ type: 'boolean' }) disabled: boolean;
  @Column({ name: 'session_version', type: 'integer', default: 0 }) sessionVersion: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
