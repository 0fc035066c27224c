export interface Scope {
  tenantId: string;
  name: string;
  description: string;
  createdAt: Date;
}

/** Scopes every tenant has (OIDC Core section 5.4 and 11), with their plain-words descriptions. */
export const BUILT_IN_SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'Sign you in',
  profile: 'See your name',
  email: 'See your email address',
  offline_access: 'Keep access while you are away',
};
