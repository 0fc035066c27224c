import type { Page } from '@tessera/contracts';
import type { Consent, ConsentWithClient } from './consent.js';

export interface ConsentFilter {
  userId?: string;
  clientRef?: string;
}

/** Storage port for consents. Every method takes the tenant id. */
export abstract class ConsentRepository {
  abstract find(tenantId: string, userId: string, clientRef: string): Promise<Consent | null>;
  abstract findById(tenantId: string, id: string): Promise<ConsentWithClient | null>;
  /** Creates or widens the consent of a user for a client to the union of old and new scopes. */
  abstract grant(tenantId: string, userId: string, clientRef: string, scopes: readonly string[]): Promise<Consent>;
  abstract touch(tenantId: string, id: string, at: Date): Promise<void>;
  abstract list(tenantId: string, filter: ConsentFilter, page: { limit: number; cursor?: string }): Promise<Page<ConsentWithClient>>;
  abstract delete(tenantId: string, id: string): Promise<boolean>;
}
