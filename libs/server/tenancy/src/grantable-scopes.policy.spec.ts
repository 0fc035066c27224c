import { GrantableScopesPolicy } from './grantable-scopes.policy.js';
import type { MembersService } from './members.service.js';

describe('GrantableScopesPolicy', () => {
  const admins = new Set(['root']);
  const asked: string[] = [];
  const members = {
    isPlatformAdmin: async (userId: string) => {
      asked.push(userId);
      return admins.has(userId);
    },
  } as unknown as MembersService;
  const policy = new GrantableScopesPolicy(members);
  const scopes = ['openid', 'offline_access', 'platform:admin'];

  beforeEach(() => (asked.length = 0));

  it('drops platform:admin of tenant admin for a user who is not a platform admin (RFC 6749 section 3.3)', async () => {
    expect(await policy.grantable({ slug: 'admin' }, 'olive', scopes)).toEqual(['openid', 'offline_access']);
  });

  it('keeps platform:admin for a platform admin', async () => {
    expect(await policy.grantable({ slug: 'admin' }, 'root', scopes)).toEqual(scopes);
  });

  it('leaves other tenants, and requests without the scope, alone without asking about membership', async () => {
    expect(await policy.grantable({ slug: 'acme' }, 'olive', scopes)).toEqual(scopes);
    expect(await policy.grantable({ slug: 'admin' }, 'olive', ['openid'])).toEqual(['openid']);
    expect(asked).toEqual([]);
  });
});
