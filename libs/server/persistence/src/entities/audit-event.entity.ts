import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true }) tenantId: string | null;
  @Column({ type: 'varchar', length: 100 }) action: string;
  @Column({ name: 'actor_type', type: 'varchar', length: 16 }) actorType: string;
  @Column({ name: 'actor_id', type: 'varchar', length: 200, nullable: true }) actorId: string | null;
  @Column({ name: 'actor_label', type: 'varchar', length: 320, nullable: true }) actorLabel: string | null;
  @Column({ name: 'target_type', type: 'varchar', length: 50 }) targetType: string;
  @Column({ name: 'target_id', type: 'varchar', length: 200, nullable: true }) targetId: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true }) userAgent: string | null;
  @Column({ type: 'jsonb' }) details: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
