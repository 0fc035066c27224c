// Tessera's password hashing parameters (libs/server/users/src/password.hasher.ts): argon2id, 19 MiB,
// 2 passes, parallelism 1 (OWASP's first recommendation). The bare-rate measurement and the
// oidc-provider sign-in page use the same.
export const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
