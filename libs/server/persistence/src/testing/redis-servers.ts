// Redis servers a test starts for itself on free loopback ports, keeping nothing on disk: a single
// server, a Redis Cluster, or a primary with a replica behind one Sentinel. Killing a server is an
// outage; starting it again on the same port is a server that came back empty.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RedisServer {
  readonly port: number;
  /** SIGKILL: no shutdown save, no goodbye to clients. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and directory (a cluster node keeps its nodes.conf). */
  start(): Promise<void>;
  /** Runs redis-cli against this server and returns its output. */
  cli(...args: string[]): Promise<string>;
}

export interface RedisDeployment {
  /** REDIS_URL for Tessera. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface RedisClusterDeployment extends RedisDeployment {
  readonly primaries: RedisServer[];
  readonly replicas: RedisServer[];
}

export interface RedisSentinelDeployment extends RedisDeployment {
  readonly primaryName: string;
  /** The servers in the order they were started: [first primary, first replica]. */
  readonly servers: RedisServer[];
  readonly sentinel: RedisServer;
  /** The port of the server the sentinel names primary now. */
  primaryPort(): Promise<number>;
  /** Waits until the replica follows the primary and the sentinel counts it as healthy. */
  replicaReady(): Promise<void>;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function freeRedisPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + 10_000))) {
      taken.add(port);
      taken.add(port + 10_000);
      return port;
    }
  }
  throw new Error('no free port pair for redis-server');
}

function startProcess(args: string[], cwd: string): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections|Sentinel ID is/.test(output)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.resume();
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
}

class LocalRedisServer implements RedisServer {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly dir: string,
    /** The whole command line of redis-server. */
    private readonly args: string[],
  ) {}

  async start(): Promise<void> {
    this.child = await startProcess(this.args, this.dir);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async cli(...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), ...args], { timeout: 10_000 });
    return stdout;
  }
}

async function startServers(count: number, taken: Set<number>, dir: string, extraArgs: (port: number) => string[]): Promise<LocalRedisServer[]> {
  const servers: LocalRedisServer[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freeRedisPort(taken);
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs(port)];
    servers.push(new LocalRedisServer(port, dir, args));
  }
  await Promise.all(servers.map((s) => s.start()));
  return servers;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** One plain server. */
export async function startRedisServer(): Promise<RedisServer & RedisDeployment> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-redis-'));
  const [server] = await startServers(1, new Set(), dir, () => []);
  return Object.assign(server!, {
    url: `redis://127.0.0.1:${server!.port}`,
    stop: async () => {
      await server!.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** A Redis Cluster of `primaries` primaries (at least 3), each with `replicasPerPrimary` replicas. */
export async function startRedisCluster(primaries = 3, replicasPerPrimary = 0): Promise<RedisClusterDeployment> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-redis-cluster-'));
  const servers = await startServers(primaries * (1 + replicasPerPrimary), new Set(), dir, (port) => [
    '--cluster-enabled', 'yes',
    '--cluster-config-file', `nodes-${port}.conf`,
    // Generous for a loaded CI machine (a starved node must not be voted failed), and the other
    // primaries keep serving their slots while one is down, as operators who want availability set it.
    '--cluster-node-timeout', '5000',
    '--cluster-require-full-coverage', 'no',
  ]);
  const stop = async () => {
    await Promise.all(servers.map((s) => s.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicasPerPrimary), '--cluster-yes'], { timeout: 30_000 });
    await waitFor('the cluster to be ok on every node', async () => {
      for (const s of servers) if (!(await s.cli('cluster', 'info')).includes('cluster_state:ok')) return false;
      return true;
    });
    const roles = await Promise.all(servers.map(async (s) => /role:master/.test(await s.cli('info', 'replication'))));
    return {
      url: `redis+cluster://${addresses.slice(0, 2).join(',')}`,
      primaries: servers.filter((_, i) => roles[i]),
      replicas: servers.filter((_, i) => !roles[i]),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A primary and one replica, watched by one Sentinel (quorum 1, failure noticed after 1 s). */
export async function startRedisSentinel(primaryName = 'tessera-primary'): Promise<RedisSentinelDeployment> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-redis-sentinel-'));
  const taken = new Set<number>();
  const [primary] = await startServers(1, taken, dir, () => []);
  const [replica] = await startServers(1, taken, dir, () => ['--replicaof', '127.0.0.1', String(primary!.port)]);
  const sentinelPort = await freeRedisPort(taken);
  const configFile = join(dir, 'sentinel.conf');
  writeFileSync(
    configFile,
    [
      `port ${sentinelPort}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${primaryName} 127.0.0.1 ${primary!.port} 1`,
      `sentinel down-after-milliseconds ${primaryName} 1000`,
      `sentinel failover-timeout ${primaryName} 5000`,
      '',
    ].join('\n'),
  );
  const sentinel = new LocalRedisServer(sentinelPort, dir, [configFile, '--sentinel']);
  await sentinel.start();
  const servers = [primary!, replica!];
  const stop = async () => {
    await Promise.all([sentinel, ...servers].map((s) => s.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  const replicaReady = async () => {
    await waitFor('a replica in sync', async () => {
      for (const server of servers) if ((await server.cli('info', 'replication')).includes('master_link_status:up')) return true;
      return false;
    });
    await waitFor('the sentinel to count the replica healthy', async () => {
      const replicas = await sentinel.cli('sentinel', 'replicas', primaryName);
      return /flags\nslave\n/.test(replicas) && !/s_down|disconnected/.test(replicas);
    });
  };
  try {
    await replicaReady();
    return {
      replicaReady,
      url: `redis+sentinel://127.0.0.1:${sentinelPort}/${primaryName}`,
      primaryName,
      servers,
      sentinel,
      primaryPort: async () => Number((await sentinel.cli('sentinel', 'get-master-addr-by-name', primaryName)).trim().split('\n')[1]),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
