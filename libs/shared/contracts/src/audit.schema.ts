export interface AuditEventView {
  id: string;
  action: string;
  actor: { type: string; id: string | null; label: string | null };
  target: { type: string; id: string | null };
  ip: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}
