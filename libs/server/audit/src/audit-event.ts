export interface AuditActor {
  type: 'admin' | 'client' | 'user' | 'system';
  id: string | null;
  label: string | null;
}

export interface AuditEvent {
  id: string;
  /** Null for platform-level events. */
  tenantId: string | null;
  action: string;
  actor: AuditActor;
  target: { type: string; id: string | null };
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'createdAt'>;

/** Where a change came from, passed down from the HTTP layer. */
export interface RequestOrigin {
  actor: AuditActor;
  ip: string | null;
  userAgent: string | null;
}

export const SYSTEM_ORIGIN: RequestOrigin = {
  actor: { type: 'system', id: null, label: 'tessera' },
  ip: null,
  userAgent: null,
};
