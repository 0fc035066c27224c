// One place that turns a parsed REDIS_URL into node-redis clients, with the same availability
// settings for every topology: no offline queue (a command while disconnected fails at once), a
// connect timeout, and reconnection for as long as the process lives.
import type { EventEmitter } from 'node:events';
import { createClient, createCluster, createSentinel } from 'redis';
import type { RedisCredentials, RedisTopology } from './redis-url.js';

export interface RedisClientSettings {
  /** CLIENT SETNAME, so operators can tell the connections apart in CLIENT LIST. */
  name?: string;
  connectTimeoutMs: number;
  /** Cluster only: connect to one node (enough for Pub/Sub) instead of every primary. */
  minimizeConnections?: boolean;
}

export const MAX_RECONNECT_DELAY_MS = 5_000;

/** Exponential from 100 ms, capped, with jitter against thundering herds. */
export function reconnectDelay(retries: number): number {
  return Math.min(100 * 2 ** Math.min(retries, 10), MAX_RECONNECT_DELAY_MS) + Math.floor(Math.random() * 100);
}

/** The commands Tessera sends, as every node-redis client type offers them. */
export interface RedisCommands {
  set(key: string, value: string, options?: object): Promise<unknown>;
  get(key: string): Promise<unknown>;
  mGet(keys: string[]): Promise<unknown[]>;
  getDel(key: string): Promise<unknown>;
  del(key: string): Promise<unknown>;
  exists(key: string): Promise<number>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  ping(): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
}

export interface RedisLifecycle extends EventEmitter {
  connect(): Promise<unknown>;
  destroy(): unknown;
  readonly isReady: boolean;
}

/** A node-redis client, cluster or sentinel client, typed by what Tessera uses of it. */
export type AnyRedisClient = RedisCommands & RedisLifecycle;

/** node-redis's cluster client, as far as the store looks at its topology. */
export interface RedisClusterClient extends AnyRedisClient {
  readonly slots: ReadonlyArray<{ master: { address: string } } | undefined>;
  readonly masters: ReadonlyArray<{ address: string }>;
  nodeClient(node: { address: string }): Promise<RedisCommands>;
}

export function createRedisClient(topology: RedisTopology, settings: RedisClientSettings): AnyRedisClient {
  const socket = { connectTimeout: settings.connectTimeoutMs, reconnectStrategy: reconnectDelay };
  // No per-command timeout in node-redis: it costs an AbortSignal.timeout (a timer, listeners, a
  // DOMException) per command. The store keeps its own deadlines (CommandDeadlines).
  const commandOptions = { timeout: 0 };
  switch (topology.kind) {
    case 'standalone':
      return createClient({
        url: topology.url,
        ...(settings.name !== undefined && { name: settings.name }),
        disableOfflineQueue: true,
        commandOptions,
        socket,
      }) as unknown as AnyRedisClient;
    case 'cluster':
      return createCluster({
        rootNodes: topology.nodes.map((node) => ({ socket: { host: node.host, port: node.port, ...tls(topology.tls) } })),
        // Credentials, TLS and timeouts of the discovered nodes come from `defaults` only.
        defaults: {
          ...credentials(topology),
          ...(settings.name !== undefined && { name: settings.name }),
          disableOfflineQueue: true,
          socket: { ...socket, ...tls(topology.tls) },
        },
        commandOptions,
        ...(settings.minimizeConnections && { minimizeConnections: true }),
      }) as unknown as AnyRedisClient;
    case 'sentinel':
      return createSentinel({
        name: topology.primaryName,
        sentinelRootNodes: topology.sentinels,
        nodeClientOptions: {
          ...credentials(topology),
          ...(settings.name !== undefined && { name: settings.name }),
          database: topology.database,
          disableOfflineQueue: true,
          socket: { ...socket, ...tls(topology.tls) },
        },
        sentinelClientOptions: {
          ...credentials(topology.sentinelCredentials),
          socket: { connectTimeout: settings.connectTimeoutMs, ...tls(topology.tls) },
        },
        commandOptions,
        // The errors of the primary's connection reach the 'error' listener as "Master Client (…)";
        // the store distrusts the primary from the first one (its 'client-error' is not forwarded).
        passthroughClientErrorEvents: true,
        // Notice a failover within a second even when no command is running.
        scanInterval: 1_000,
      }) as unknown as AnyRedisClient;
  }
}

function credentials(source: RedisCredentials): RedisCredentials {
  return {
    ...(source.username !== undefined && { username: source.username }),
    ...(source.password !== undefined && { password: source.password }),
  };
}

function tls(enabled: boolean): { tls: true } | Record<string, never> {
  return enabled ? { tls: true } : {};
}
