/** A user's remembered "allow" for one client and a set of scopes (CONTRACT.md, consent). */
export interface Consent {
  id: string;
  tenantId: string;
  userId: string;
  /** Internal id of the client row (clients.id), so a deleted client takes its consents along. */
  clientRef: string;
  scopes: string[];
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
}

/** A consent with the client's public id and name, as lists show it. */
export interface ConsentWithClient extends Consent {
  clientId: string;
  clientName: string;
}
