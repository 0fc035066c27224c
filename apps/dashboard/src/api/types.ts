// Wire types of the admin and account APIs: from the shared contracts library, never copied.
export type {
  AccountConsentView,
  AuditEventView,
  ClientView,
  ClientWithSecretView,
  ConsentView,
  FieldError,
  GrantView,
  MemberView,
  MembershipView,
  MeView,
  Page,
  ScopeView,
  SigningKeyView,
  TenantRole,
  TenantView,
  UserView,
} from '@tessera/contracts';
