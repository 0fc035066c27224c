import { describe, expect, it } from '@jest/globals';
import { describeRedisTopology, parseRedisUrl } from './redis-url.js';

describe('parseRedisUrl', () => {
  it('keeps a single-server URL as it is', () => {
    expect(parseRedisUrl(' rediss://:pw@cache:6380/2 ')).toEqual({ kind: 'standalone', url: 'rediss://:pw@cache:6380/2' });
  });

  it('reads a Cluster URL: seed nodes, default port, percent-decoded credentials, TLS from rediss+', () => {
    expect(parseRedisUrl('rediss+cluster://app%40x:p%3Ass@a:7000,b,[fd00::1]:7002/')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 6379 },
        { host: 'fd00::1', port: 7002 },
      ],
      tls: true,
      username: 'app@x',
      password: 'p:ss',
    });
    expect(parseRedisUrl('redis+cluster://a:1')).toEqual({ kind: 'cluster', nodes: [{ host: 'a', port: 1 }], tls: false });
  });

  it('reads a Sentinel URL: sentinels, primary name, database, and the sentinels own credentials', () => {
    expect(parseRedisUrl('redis+sentinel://:pw@s1,s2:26380/my%20primary/3?sentinelUsername=watch&sentinelPassword=spw')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      primaryName: 'my primary',
      database: 3,
      tls: false,
      password: 'pw',
      sentinelCredentials: { username: 'watch', password: 'spw' },
    });
    expect(parseRedisUrl('REDISS+SENTINEL://s1/m')).toMatchObject({ kind: 'sentinel', tls: true, database: 0, sentinelCredentials: {} });
  });

  it('describes a topology for logs without its credentials', () => {
    const descriptions = [
      'redis://u:secret@h:1/0',
      'redis+cluster://u:secret@a:1,[::1]:2',
      'redis+sentinel://u:secret@s:3/m?sentinelPassword=secret',
    ].map((url) => describeRedisTopology(parseRedisUrl(url)));
    expect(descriptions).toEqual(['redis://h:1', 'Redis Cluster a:1,[::1]:2', 'Redis Sentinel s:3 primary "m"']);
  });

  it.each(['redis+cluster://a:1#frag', 'redis+cluster://a:1,', 'redis+cluster://a b:1', 'redis+sentinel://s/m/x', 'redis+sentinel://s/m/0/extra', 'cluster://a:1'])(
    'rejects %s',
    (url) => expect(() => parseRedisUrl(url)).toThrow(),
  );
});
