// When may the short-lived-state store trust Redis? Only after it has checked, on every
// (re)connection, that Redis still holds Tessera's data; a Redis that came back empty forgot
// revocations and single-use codes, so the store records the loss before anything else runs
// (docs/adr/0006). One server or a Sentinel-managed primary is one unit of trust; in a Redis
// Cluster each primary is checked on its own and only the slots of unchecked primaries fail.
import { StoreUnavailableError } from '@tessera/short-lived-state';
import { CLUSTER_SLOTS, keySlot, slotTags } from '../redis/cluster-slot.js';
import { CommandDeadlines } from '../redis/command-deadlines.js';
import type { AnyRedisClient, RedisClusterClient, RedisCommands } from '../redis/redis-clients.js';

export interface StoreConnectionLogger {
  warn(obj: object, msg: string): void;
}

export interface StoreConnectionContext {
  /** Key prefix of the store: the data-loss sentinels live under it. */
  prefix: string;
  /** The full key holding the epoch second of the latest data loss (STORE_DATA_LOST_AT_KEY). */
  lossMarkerKey: string;
  endpoint: string;
  logger?: StoreConnectionLogger;
  /** Longest wait for a reply to any command the store sends. */
  commandTimeoutMs: number;
}

const RECHECK_DELAY_MS = 1_000;
/** How often a Sentinel-managed primary is probed while distrusted. */
const SENTINEL_RECHECK_DELAY_MS = 250;

/** Sets the loss marker to `lostAtSeconds` unless it already names a later loss: one key, Cluster-safe. */
const RAISE_LOSS_MARKER_SCRIPT = `
local old = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tonumber(ARGV[1]) > old then redis.call('SET', KEYS[1], ARGV[1]) end
return 1
`;

export abstract class StoreConnection {
  /** Bumped whenever the store loses its footing; a command spanning a bump is not trusted. */
  epoch = 0;
  /** Whether one command may touch several keys (not on a Cluster, where keys live in different slots). */
  abstract readonly multiKey: boolean;
  protected closed = false;
  protected readonly startedAt = Date.now();
  private markFirstReady!: () => void;
  private readonly firstReady = new Promise<void>((resolve) => (this.markFirstReady = resolve));
  /** Resolves once the store may first be used; rejects only when closed before that. */
  ready!: Promise<void>;

  private readonly deadlines: CommandDeadlines;

  protected constructor(
    readonly commands: RedisCommands,
    protected readonly client: AnyRedisClient,
    protected readonly context: StoreConnectionContext,
  ) {
    this.deadlines = new CommandDeadlines(context.commandTimeoutMs);
  }

  /** Connects in the background; subclasses call it once their listeners are in place. */
  protected start(): void {
    // connect() keeps retrying until ready, so it rejects only when closed while connecting.
    this.ready = this.client.connect().then(() => this.firstReady);
    // The background attempt must not surface as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** Throws StoreUnavailableError unless a command on `key` may be trusted now. */
  abstract assertAvailable(key: string): void;

  abstract ping(): Promise<void>;

  /** Every command the store sends runs under the command deadline (a stalled server, a half-open connection). */
  withDeadline<T>(promise: Promise<T>): Promise<T> {
    return this.deadlines.track(promise);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.deadlines.close();
    // destroy() rather than quit(): quit waits for a reply that never comes while disconnected.
    // Nothing is lost: every command of the store is a single round trip already answered or failed.
    void Promise.resolve(this.client.destroy()).catch(() => undefined);
  }

  protected resolveFirstReady(): void {
    this.markFirstReady();
  }

  /** When Redis lost data, everything issued up to `lostAtMs` counts as revoked. */
  protected async recordLoss(lostAtMs: number): Promise<void> {
    await this.commands.eval(RAISE_LOSS_MARKER_SCRIPT, {
      keys: [this.context.lossMarkerKey],
      arguments: [String(Math.floor(lostAtMs / 1000))],
    });
  }

  protected unavailable(): StoreUnavailableError {
    return new StoreUnavailableError('the short-lived-state store (Redis) is unavailable');
  }

  protected logOutage(err: unknown, extra: object = {}): void {
    const e = err as { name?: string; code?: string; message?: string };
    this.context.logger?.warn(
      { endpoint: this.context.endpoint, ...extra, error: e?.name, code: e?.code, detail: redact(String(e?.message ?? err)) },
      'Redis connection lost; short-lived state unavailable until it reconnects',
    );
  }

  protected logDataLoss(extra: object = {}): void {
    this.context.logger?.warn(
      { endpoint: this.context.endpoint, ...extra },
      'Redis came back without our data (restarted without persistence?): tokens issued before the outage now count as revoked',
    );
  }
}

/**
 * One server, or the primary a Sentinel names: one sentinel key (`${prefix}sentinel`) stands for
 * all of the data. Unavailable from a disconnect (or a change of primary) until the check after
 * the next connection.
 */
export class PrimaryStoreConnection extends StoreConnection {
  readonly multiKey = true;
  private available = false;
  private everAvailable = false;
  private outageStartedAt: number | null = null;
  private inOutage = false;
  private recheck: NodeJS.Timeout | undefined;
  private checking = false;
  private checkAgain = false;

  constructor(client: AnyRedisClient, context: StoreConnectionContext, private readonly viaSentinel: boolean) {
    super(client, client, context);
    // Without an 'error' listener, node-redis re-emits socket errors as an unhandled 'error'
    // event, which kills the process.
    client.on('error', (err: unknown) => {
      // A single server's errors are its connection's. A Sentinel client's are about sentinels and
      // replicas too; those of its primary's connection say "Master Client (host:port): ...". That
      // connection reconnects by itself to whatever answers at its address (a restarted, empty
      // server) without a 'ready' of the Sentinel client: distrust it from its first error, and
      // check again until a check passes.
      if (!viaSentinel) {
        this.onDisconnect();
      } else if (err instanceof Error && err.message.startsWith('Master Client (')) {
        this.onDisconnect();
        this.scheduleCheck();
      }
      this.noteOutage(err);
    });
    client.on('end', () => this.onDisconnect());
    client.on('reconnecting', () => this.onDisconnect());
    client.on('ready', () => void this.check());
    if (viaSentinel) {
      // A failover: the new primary may be a replica that missed the last writes, or a restarted,
      // empty server. Check it before trusting it.
      client.on('topology-change', (event: { type?: string }) => {
        if (event?.type !== 'MASTER_CHANGE') return;
        this.onDisconnect();
        this.scheduleCheck();
      });
    }
    this.start();
  }

  override assertAvailable(): void {
    if (!this.available) throw this.unavailable();
  }

  override async ping(): Promise<void> {
    if (!this.available) throw this.unavailable();
    await this.withDeadline(this.commands.ping());
  }

  override close(): void {
    clearTimeout(this.recheck);
    this.available = false;
    super.close();
  }

  private onDisconnect(): void {
    if (this.available) this.outageStartedAt = Date.now();
    this.available = false;
    this.epoch++;
  }

  /** One warning per outage; a passing check ends the outage. */
  private noteOutage(err: unknown): void {
    if (this.inOutage || this.closed) return;
    this.inOutage = true;
    this.logOutage(err);
  }

  private scheduleCheck(): void {
    if (this.closed || this.recheck !== undefined) return;
    this.recheck = setTimeout(() => void this.check(), SENTINEL_RECHECK_DELAY_MS).unref();
  }

  private async check(): Promise<void> {
    clearTimeout(this.recheck);
    this.recheck = undefined;
    // One check at a time ('ready' and a scheduled probe may coincide); a request meanwhile runs after.
    if (this.checking) {
      this.checkAgain = true;
      return;
    }
    this.checking = true;
    try {
      await this.checkOnce();
    } finally {
      this.checking = false;
      if (this.checkAgain && !this.available) void this.check();
      this.checkAgain = false;
    }
  }

  private async checkOnce(): Promise<void> {
    const epoch = this.epoch;
    try {
      const sentinel = `${this.context.prefix}sentinel`;
      if ((await this.withDeadline(this.commands.exists(sentinel))) === 0) {
        // The outage began when we lost the connection; on a first connection we cannot know when
        // the data went, so everything issued before this process started counts as lost.
        await this.withDeadline(this.recordLoss(this.everAvailable ? (this.outageStartedAt ?? Date.now()) : this.startedAt - 1_000));
        await this.withDeadline(this.commands.set(sentinel, String(Date.now())));
        if (this.everAvailable) this.logDataLoss();
      }
      if (this.closed) return;
      // The connection changed during the check: check what answers now.
      if (this.epoch !== epoch) return this.scheduleCheck();
      this.available = true;
      this.everAvailable = true;
      this.inOutage = false;
      this.outageStartedAt = null;
      this.resolveFirstReady();
    } catch {
      // A single server says when it is back ('ready'); a Sentinel's primary does not.
      if (this.viaSentinel || this.client.isReady) this.scheduleCheck();
    }
  }
}

interface ClusterNodeState {
  up: boolean;
  everUp: boolean;
  outageStartedAt: number | null;
  inOutage: boolean;
  /** Bumped by every change; a check finishing under an older generation is void. */
  generation: number;
  recheck?: NodeJS.Timeout;
}

/**
 * A Redis Cluster: each primary holds its own slots, and a primary restarted without its data
 * loses exactly those. A sentinel key in every slot (`${prefix}sentinel:{tag}`, one per slot so
 * that resharding moves them with the data) is checked for the slots of a primary whenever a
 * connection to it becomes ready; commands on the slots of a primary that is down or unchecked fail
 * with StoreUnavailableError, the rest of the cluster keeps serving.
 */
export class ClusterStoreConnection extends StoreConnection {
  readonly multiKey = false;
  private readonly nodes = new Map<string, ClusterNodeState>();
  private readonly tags = slotTags();

  constructor(private readonly cluster: RedisClusterClient, context: StoreConnectionContext) {
    super(cluster, cluster, context);
    const address = (info: { host: string; port: number }) => `${info.host}:${info.port}`;
    cluster.on('node-ready', (info: { host: string; port: number }) => void this.onNodeReady(address(info)));
    cluster.on('node-reconnecting', (info: { host: string; port: number }) => this.onNodeDown(address(info)));
    cluster.on('node-disconnect', (info: { host: string; port: number }) => this.onNodeDown(address(info)));
    cluster.on('node-error', (err: unknown, info: { host: string; port: number }) => {
      const node = this.node(address(info));
      this.onNodeDown(address(info));
      if (node.inOutage || this.closed) return;
      node.inOutage = true;
      this.logOutage(err, { node: address(info) });
    });
    // Topology discovery errors: the per-node events above carry the availability.
    cluster.on('error', () => undefined);
    this.start();
  }

  override assertAvailable(key: string): void {
    const shard = this.cluster.slots[keySlot(key)];
    if (shard === undefined || this.nodes.get(shard.master.address)?.up !== true) throw this.unavailable();
  }

  override async ping(): Promise<void> {
    const masters = this.cluster.masters;
    if (this.closed || masters.length === 0 || masters.some((m) => this.nodes.get(m.address)?.up !== true)) throw this.unavailable();
    for (let slot = 0; slot < CLUSTER_SLOTS; slot++) if (this.cluster.slots[slot] === undefined) throw this.unavailable();
    await this.withDeadline(Promise.all(masters.map(async (m) => (await this.cluster.nodeClient(m)).ping())));
  }

  override close(): void {
    for (const node of this.nodes.values()) {
      node.up = false;
      clearTimeout(node.recheck);
    }
    super.close();
  }

  private node(address: string): ClusterNodeState {
    let node = this.nodes.get(address);
    if (!node) {
      node = { up: false, everUp: false, outageStartedAt: null, inOutage: false, generation: 0 };
      this.nodes.set(address, node);
    }
    return node;
  }

  private onNodeDown(address: string): void {
    const node = this.node(address);
    if (node.up) node.outageStartedAt = Date.now();
    node.up = false;
    node.generation++;
    // No epoch bump: commands to the other primaries run on their own connections, unaffected.
  }

  private onNodeReady(address: string): void {
    this.node(address).inOutage = false;
    void this.checkNode(address);
  }

  private async checkNode(address: string): Promise<void> {
    const node = this.node(address);
    clearTimeout(node.recheck);
    const generation = ++node.generation;
    try {
      const master = this.cluster.masters.find((m) => m.address === address);
      // A replica or a Pub/Sub connection: no slots of its own to vouch for.
      if (master !== undefined) {
        const client = await this.cluster.nodeClient(master);
        const keys: string[] = [];
        for (let slot = 0; slot < CLUSTER_SLOTS; slot++) {
          if (this.cluster.slots[slot]?.master.address === address) keys.push(`${this.context.prefix}sentinel:{${this.tags[slot]}}`);
        }
        // One round trip's worth: node-redis pipelines commands issued in the same tick.
        const present = await this.withDeadline(Promise.all(keys.map((key) => client.exists(key))));
        const missing = keys.filter((_, i) => present[i] === 0);
        if (missing.length > 0) {
          await this.withDeadline(this.recordLoss(node.everUp ? (node.outageStartedAt ?? Date.now()) : this.startedAt - 1_000));
          const now = String(Date.now());
          await this.withDeadline(Promise.all(missing.map((key) => client.set(key, now))));
          if (node.everUp) this.logDataLoss({ node: address, slots: missing.length });
        }
      }
      if (this.closed || node.generation !== generation) return;
      node.up = true;
      node.everUp = true;
      node.outageStartedAt = null;
      const masters = this.cluster.masters;
      if (masters.length > 0 && masters.every((m) => this.nodes.get(m.address)?.up === true)) this.resolveFirstReady();
    } catch {
      if (!this.closed && node.generation === generation) {
        node.recheck = setTimeout(() => void this.checkNode(address), RECHECK_DELAY_MS).unref();
      }
    }
  }
}

/** Belt and braces: no error text that reaches a log may carry a URL's password. */
function redact(text: string): string {
  return text.replace(/(\w+:\/\/)[^@\s/]*@/g, '$1***@');
}
