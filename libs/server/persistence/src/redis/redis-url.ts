// REDIS_URL in its three forms: one server, a Redis Cluster, or a primary found through Sentinel.
//
//   redis://[[user]:password@]host[:port][/db]           rediss:// for TLS
//   redis+cluster://[[user]:password@]host:port[,host:port...]          rediss+cluster://
//   redis+sentinel://[[user]:password@]host:port[,host:port...]/primaryName[/db]
//       [?sentinelUsername=...&sentinelPassword=...]                    rediss+sentinel://
//
// The host lists of the cluster and sentinel forms are seed nodes: the client discovers the rest.
// WHATWG URL cannot parse a comma-separated host list, so these two forms are parsed here. Errors
// never quote the value: it may carry a password.

export interface RedisNodeAddress {
  host: string;
  port: number;
}

export interface RedisCredentials {
  username?: string;
  password?: string;
}

export type RedisTopology =
  | { kind: 'standalone'; url: string }
  | ({ kind: 'cluster'; nodes: RedisNodeAddress[]; tls: boolean } & RedisCredentials)
  | ({
      kind: 'sentinel';
      sentinels: RedisNodeAddress[];
      /** The name the sentinels monitor the primary under (`sentinel monitor <name> ...`). */
      primaryName: string;
      database: number;
      tls: boolean;
      sentinelCredentials: RedisCredentials;
    } & RedisCredentials);

export class RedisUrlError extends Error {
  override readonly name = 'RedisUrlError';
}

export const REDIS_URL_FORMS =
  'a redis://, rediss://, redis+cluster://, rediss+cluster://, redis+sentinel:// or rediss+sentinel://';

const DEFAULT_PORT = { cluster: 6379, sentinel: 26379 } as const;
const MAX_DATABASE = 15;

export function parseRedisUrl(value: string): RedisTopology {
  const text = value.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'redis' || scheme === 'rediss') return parseStandalone(text);
  const multi = scheme === undefined ? undefined : /^(rediss?)\+(cluster|sentinel)$/.exec(scheme);
  if (!multi) throw new RedisUrlError(`must be ${REDIS_URL_FORMS} URL`);
  const tls = multi[1] === 'rediss';
  const kind = multi[2] as 'cluster' | 'sentinel';

  const rest = text.slice(scheme!.length + 3);
  if (rest.includes('#')) throw new RedisUrlError('must not have a fragment');
  const queryAt = rest.indexOf('?');
  const beforeQuery = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : rest.slice(queryAt + 1));
  const pathAt = beforeQuery.indexOf('/');
  const authority = pathAt === -1 ? beforeQuery : beforeQuery.slice(0, pathAt);
  const path = pathAt === -1 ? '' : beforeQuery.slice(pathAt);
  // The last @ ends the user info: a password may contain @ only percent-encoded, like any URL.
  const at = authority.lastIndexOf('@');
  const credentials = at === -1 ? {} : parseUserInfo(authority.slice(0, at));
  const nodes = parseHostList(authority.slice(at + 1), DEFAULT_PORT[kind]);

  if (kind === 'cluster') {
    // Redis Cluster has one database; a path could only be a mistake.
    if (path !== '' && path !== '/' && path !== '/0') throw new RedisUrlError('a Redis Cluster has no databases other than 0: remove the path');
    rejectUnknownParameters(query, []);
    return { kind, nodes, tls, ...credentials };
  }

  const segments = path.split('/').slice(1);
  const primaryName = decodePart(segments[0] ?? '', 'primary name');
  if (primaryName === '' || segments.length > 2) {
    throw new RedisUrlError('must name the monitored primary and at most a database after the hosts, e.g. redis+sentinel://s1:26379,s2:26379/mymaster/0');
  }
  const databaseText = segments[1] ?? '';
  const database = databaseText === '' ? 0 : Number(databaseText);
  if ((databaseText !== '' && !/^\d{1,2}$/.test(databaseText)) || database > MAX_DATABASE) {
    throw new RedisUrlError(`the database must be an integer from 0 to ${MAX_DATABASE}`);
  }
  rejectUnknownParameters(query, ['sentinelUsername', 'sentinelPassword']);
  const sentinelCredentials: RedisCredentials = {
    ...(query.get('sentinelUsername') && { username: query.get('sentinelUsername')! }),
    ...(query.get('sentinelPassword') && { password: query.get('sentinelPassword')! }),
  };
  return { kind, sentinels: nodes, primaryName, database, tls, sentinelCredentials, ...credentials };
}

/** `host:port, host:port` of a topology, for logs: never credentials. */
export function describeRedisTopology(topology: RedisTopology): string {
  switch (topology.kind) {
    case 'standalone':
      try {
        const u = new URL(topology.url);
        return `${u.protocol}//${u.hostname}:${u.port || '6379'}`;
      } catch {
        return '(unparseable Redis URL)';
      }
    case 'cluster':
      return `Redis Cluster ${topology.nodes.map(formatAddress).join(',')}`;
    case 'sentinel':
      return `Redis Sentinel ${topology.sentinels.map(formatAddress).join(',')} primary ${JSON.stringify(topology.primaryName)}`;
  }
}

function formatAddress(node: RedisNodeAddress): string {
  return node.host.includes(':') ? `[${node.host}]:${node.port}` : `${node.host}:${node.port}`;
}

function parseStandalone(text: string): RedisTopology {
  try {
    new URL(text);
  } catch {
    throw new RedisUrlError(`must be ${REDIS_URL_FORMS} URL`);
  }
  return { kind: 'standalone', url: text };
}

function parseUserInfo(userInfo: string): RedisCredentials {
  const colon = userInfo.indexOf(':');
  const username = decodePart(colon === -1 ? userInfo : userInfo.slice(0, colon), 'user name');
  const password = colon === -1 ? '' : decodePart(userInfo.slice(colon + 1), 'password');
  // `redis://user@host` names a user without a password; `redis://:pw@host` the default user.
  return { ...(username !== '' && { username }), ...(password !== '' && { password }) };
}

function parseHostList(list: string, defaultPort: number): RedisNodeAddress[] {
  if (list === '') throw new RedisUrlError('must list at least one host:port after the scheme');
  const nodes = list.split(',').map((entry) => parseHostPort(entry.trim(), defaultPort));
  const seen = new Set<string>();
  for (const node of nodes) {
    const key = formatAddress(node);
    if (seen.has(key)) throw new RedisUrlError(`lists ${key} twice`);
    seen.add(key);
  }
  return nodes;
}

function parseHostPort(entry: string, defaultPort: number): RedisNodeAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(entry);
  const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
  if (!match || port < 1 || port > 65535) {
    // A host name or address is not a secret, but the entry might be a mangled password: describe only.
    throw new RedisUrlError('has a host list entry that is not host, host:port or [ipv6]:port');
  }
  return { host: match[1] ?? match[2]!, port };
}

function decodePart(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new RedisUrlError(`has a badly percent-encoded ${what}`);
  }
}

function rejectUnknownParameters(query: URLSearchParams, known: string[]): void {
  for (const name of query.keys()) {
    if (!known.includes(name)) {
      const allowed = known.length === 0 ? 'takes no query parameters' : `takes only the query parameters ${known.join(', ')}`;
      throw new RedisUrlError(`${allowed} (got one named ${JSON.stringify(name.slice(0, 40))})`);
    }
  }
}
