import {
  LOGIN_PROTECTION_BOUNDS,
  RATE_LIMIT_BOUNDS,
  RATE_LIMIT_NAMES,
  type LoginProtectionName,
  type RateLimitName,
  type TenantView,
} from '@tessera/contracts';
import { z } from 'zod';

/**
 * The form side of a tenant's `settings.rateLimits` and `settings.loginProtection`: its zod schema
 * (the API's bounds, in plain words), the values shown (the effective ones the API reports) and the
 * PATCH body, which carries only what the admin changed so that untouched settings keep following
 * the server's defaults.
 */

export const ADMIN_TENANT = 'admin';

/** Values for a limit that is off, shown (disabled) until the admin turns it on. */
const SUGGESTED_LIMIT = { max: 600, windowSeconds: 60 };

export const RATE_LIMIT_FIELDS: readonly { name: RateLimitName; what: string; help: string }[] = [
  {
    name: 'tokenPerClient',
    what: 'token requests per client',
    help: 'Token endpoint requests of each authenticated client. Off by default: a backend may legitimately ask for many tokens.',
  },
  { name: 'loginPerIp', what: 'sign-in attempts per IP address', help: 'Sign-in form submissions from one IP address.' },
  { name: 'loginPerUsername', what: 'sign-in attempts per username', help: 'Sign-in form submissions for one username, from any address.' },
  {
    name: 'adminApiPerToken',
    what: 'admin API requests per access token',
    help: 'Admin API requests made with one access token, for every tenant (only the admin tenant’s setting counts).',
  },
];

export const LOGIN_PROTECTION_FIELDS: readonly { name: LoginProtectionName; label: string; description: string }[] = [
  { name: 'delayAfterFailures', label: 'Failed sign-ins before answers slow down', description: 'Per username or IP address, within the failure window' },
  { name: 'maxDelayMs', label: 'Longest slow-down (milliseconds)', description: 'The delay doubles from 250 ms with each further failure, up to this' },
  { name: 'failureWindowSeconds', label: 'Failure window (seconds)', description: 'How long a failed sign-in counts' },
  { name: 'userLockAfterFailures', label: 'Failed sign-ins that lock a username', description: 'Within the failure window' },
  { name: 'ipLockAfterFailures', label: 'Failed sign-ins that lock an IP address', description: 'Within the failure window' },
  { name: 'lockSeconds', label: 'Lock duration (seconds)', description: 'While locked, no password is checked' },
  {
    name: 'maxUserLocksPerDay',
    label: 'Locks per username per day',
    description: 'Past this, failures are only slowed down, so nobody can keep a user locked out; 0 never locks usernames',
  },
];

/** A whole number within the API's bounds. */
function wholeNumber({ min, max }: { min: number; max: number }) {
  return z.number({ error: 'Enter a whole number' }).int('Enter a whole number').min(min, `At least ${min}`).max(max, `At most ${max}`);
}

/** An empty number input holds NaN: accepted here, refused below only when the limit is on. */
const numberOrEmpty = z.number().or(z.nan());

const rateLimitRow = z
  .object({ enabled: z.boolean(), max: numberOrEmpty, windowSeconds: numberOrEmpty })
  .superRefine((row, ctx) => {
    if (!row.enabled) return;
    for (const part of ['max', 'windowSeconds'] as const) {
      const result = wholeNumber(RATE_LIMIT_BOUNDS[part]).safeParse(row[part]);
      if (!result.success) ctx.addIssue({ code: 'custom', path: [part], message: result.error.issues[0]!.message });
    }
  });

export const protectionForm = z.object({
  rateLimits: z.object(Object.fromEntries(RATE_LIMIT_NAMES.map((name) => [name, rateLimitRow])) as Record<RateLimitName, typeof rateLimitRow>),
  loginProtection: z.object(
    Object.fromEntries(LOGIN_PROTECTION_FIELDS.map(({ name }) => [name, wholeNumber(LOGIN_PROTECTION_BOUNDS[name])])) as Record<
      LoginProtectionName,
      ReturnType<typeof wholeNumber>
    >,
  ),
});
export type ProtectionForm = z.infer<typeof protectionForm>;
type RateLimitRow = ProtectionForm['rateLimits'][RateLimitName];

export function protectionValuesOf(settings: TenantView['settings']): ProtectionForm {
  const rateLimits = Object.fromEntries(
    RATE_LIMIT_NAMES.map((name) => {
      const limit = settings.rateLimits[name];
      return [name, limit ? { enabled: true, ...limit } : { enabled: false, ...SUGGESTED_LIMIT }];
    }),
  ) as ProtectionForm['rateLimits'];
  return { rateLimits, loginProtection: { ...settings.loginProtection } };
}

const sameLimit = (a: RateLimitRow, b: RateLimitRow) =>
  a.enabled === b.enabled && (!a.enabled || (a.max === b.max && a.windowSeconds === b.windowSeconds));

/** The `rateLimits` and `loginProtection` of a PATCH body: only what differs from `before` (null turns a limit off). */
export function protectionPatch(values: ProtectionForm, before: ProtectionForm) {
  const rateLimits = Object.fromEntries(
    RATE_LIMIT_NAMES.filter((name) => !sameLimit(values.rateLimits[name], before.rateLimits[name])).map((name) => {
      const { enabled, max, windowSeconds } = values.rateLimits[name];
      return [name, enabled ? { max, windowSeconds } : null];
    }),
  );
  const loginProtection = Object.fromEntries(
    LOGIN_PROTECTION_FIELDS.filter(({ name }) => values.loginProtection[name] !== before.loginProtection[name]).map(({ name }) => [
      name,
      values.loginProtection[name],
    ]),
  );
  return {
    ...(Object.keys(rateLimits).length > 0 ? { rateLimits } : {}),
    ...(Object.keys(loginProtection).length > 0 ? { loginProtection } : {}),
  };
}

/** Where a field error of a 400 problem (`settings.rateLimits.loginPerIp.max`) belongs in the form, or null. */
export function protectionFieldOf(field: string): `rateLimits.${RateLimitName}.${'max' | 'windowSeconds'}` | `loginProtection.${LoginProtectionName}` | null {
  const limit = /^settings\.rateLimits\.(\w+)(?:\.(max|windowSeconds))?$/.exec(field);
  if (limit && (RATE_LIMIT_NAMES as readonly string[]).includes(limit[1]!)) {
    return `rateLimits.${limit[1] as RateLimitName}.${(limit[2] as 'max' | 'windowSeconds' | undefined) ?? 'max'}`;
  }
  const protection = /^settings\.loginProtection\.(\w+)$/.exec(field);
  if (protection && protection[1]! in LOGIN_PROTECTION_BOUNDS) return `loginProtection.${protection[1] as LoginProtectionName}`;
  return null;
}
