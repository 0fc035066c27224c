// What must hold for Tessera in the rendered manifests beyond the API schema: probes on the
// server's real paths, the configuration the server needs in production, a pod that runs locked
// down, a shutdown that fits the grace period, and objects that point at each other.
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IIngress, INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IConfigMap, IContainer, IService } from 'kubernetes-models/v1';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../apps/server/src/config/index.js';
import { find, one, selects, type KubeObject } from './manifest-checks.js';

/** The Secret the manifests read; operators create it (docs/deploy.md). */
export const SECRET_NAME = 'tessera-secrets';
/** What the server needs from that Secret to run as several pods in production. */
export const REQUIRED_SECRET_VARIABLES = ['KEY_ENCRYPTION_KEY', 'DATABASE_URL', 'REDIS_URL', 'BOOTSTRAP_CLIENT_SECRET'] as const;
/** Variables read by Node.js itself rather than by the server's configuration. */
const NODE_VARIABLES = ['NODE_OPTIONS'];
/**
 * Variables of issue 14 being added on other branches (metrics listener, trusted proxies): set here
 * so the manifests are ready when they land. Remove a name once the server's schema has it.
 */
const ANNOUNCED_VARIABLES = ['METRICS_PORT', 'TRUST_PROXY', 'SHUTDOWN_DRAIN_SECONDS'];
/** What the server waits after SIGTERM, with /readyz 503, when SHUTDOWN_DRAIN_SECONDS is unset. */
const DEFAULT_SHUTDOWN_DRAIN_SECONDS = 5;

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
export const METRICS_PORT = 9464;

/** Secret values of the right shapes, standing in for the operator's Secret when the config is parsed. */
export const SAMPLE_SECRETS: Record<(typeof REQUIRED_SECRET_VARIABLES)[number], string> = {
  KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  DATABASE_URL: 'postgres://tessera:secret@postgres.example.internal:5432/tessera?sslmode=require',
  REDIS_URL: 'rediss+sentinel://tessera:secret@sentinel-0.example.internal:26379,sentinel-1.example.internal:26379/tessera',
  BOOTSTRAP_CLIENT_SECRET: 'x'.repeat(43),
};

export interface InvariantOptions {
  /** Production overlay: a pinned image and an Ingress that terminates TLS are required. */
  production: boolean;
}

/** Every problem found, as sentences; empty when the manifests are fit to apply. */
export async function invariantProblems(objects: readonly KubeObject[], options: InvariantOptions): Promise<string[]> {
  const problems: string[] = [];
  const deployment = one(objects, 'Deployment') as KubeObject & IDeployment;
  const pod = deployment.spec?.template.spec;
  const container = pod?.containers.find((each) => each.name === 'tessera');
  if (!pod || !container) return ['Deployment: no container named tessera'];
  const podLabels = deployment.spec?.template.metadata?.labels;
  if (!selects(deployment.spec?.selector.matchLabels, podLabels)) problems.push('Deployment: its selector does not select its own pods');

  const env = await environmentProblems(objects, container, problems);
  problems.push(...probeProblems(container, env));
  problems.push(...lockDownProblems(pod, container));
  problems.push(...resourceProblems(container));
  problems.push(...shutdownProblems(pod.terminationGracePeriodSeconds, container, env));
  problems.push(...scalingProblems(objects, deployment, podLabels));
  problems.push(...serviceProblems(objects, container, podLabels));
  if (options.production) problems.push(...productionProblems(objects, container, env));
  return problems;
}

/** The environment the container gets; checks it is complete and that the server accepts it. */
async function environmentProblems(objects: readonly KubeObject[], container: IContainer, problems: string[]): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    const configMap = find(objects, 'ConfigMap').find((each) => each.metadata.name === name) as (KubeObject & IConfigMap) | undefined;
    if (!configMap) problems.push(`container: envFrom names ConfigMap ${name ?? '(none)'}, which is not in the manifests`);
    else Object.assign(env, configMap.data);
  }
  const fromSecret = new Set<string>();
  for (const variable of container.env ?? []) {
    const secretRef = variable.valueFrom?.secretKeyRef;
    if (secretRef) {
      if (secretRef.name !== SECRET_NAME || secretRef.key !== variable.name) {
        problems.push(`container: ${variable.name} must come from key ${variable.name} of Secret ${SECRET_NAME}`);
      }
      if (!secretRef.optional) fromSecret.add(variable.name);
      if (secretRef.key in SAMPLE_SECRETS) env[variable.name] = SAMPLE_SECRETS[secretRef.key as keyof typeof SAMPLE_SECRETS];
    } else if (variable.value !== undefined) {
      env[variable.name] = variable.value;
    }
  }
  for (const name of REQUIRED_SECRET_VARIABLES) {
    if (!fromSecret.has(name)) problems.push(`container: ${name} is required in production and must come from Secret ${SECRET_NAME}`);
  }
  const known = new Set<string>([...CONFIG_VARIABLES, ...NODE_VARIABLES, ...ANNOUNCED_VARIABLES]);
  for (const name of Object.keys(env)) {
    if (!known.has(name)) problems.push(`container: ${name} is not a variable the server reads (a typo?)`);
  }
  if (env.NODE_ENV !== 'production') problems.push(`container: NODE_ENV must be production (got ${JSON.stringify(env.NODE_ENV)})`);
  if (!env.PUBLIC_URL) problems.push('container: PUBLIC_URL must be set (issuers are built from it)');
  try {
    await loadConfig(env, { cwd: '/app' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.map((problem) => `configuration refused by the server: ${problem}`));
  }
  return env;
}

function containerPort(container: IContainer, name: string): number | undefined {
  return container.ports?.find((port) => port.name === name)?.containerPort;
}

function probeProblems(container: IContainer, env: Record<string, string>): string[] {
  const problems: string[] = [];
  const httpPort = containerPort(container, 'http');
  if (httpPort === undefined) problems.push('container: no port named http');
  else if (String(httpPort) !== env.PORT) problems.push(`container: port http is ${httpPort} but PORT is ${JSON.stringify(env.PORT)}`);
  const expected = [
    ['livenessProbe', HEALTH_PATH],
    ['readinessProbe', READY_PATH],
    ['startupProbe', HEALTH_PATH],
  ] as const;
  for (const [probeName, path] of expected) {
    const probe = container[probeName];
    const get = probe?.httpGet;
    if (!get) {
      problems.push(`container: ${probeName} must be an HTTP GET of ${path}`);
      continue;
    }
    if (get.path !== path) problems.push(`container: ${probeName} asks ${JSON.stringify(get.path)}, the server answers it on ${path}`);
    if (get.port !== 'http' && get.port !== httpPort) problems.push(`container: ${probeName} must ask the http port (got ${JSON.stringify(get.port)})`);
  }
  // /readyz gives each datastore check 2 s; a shorter probe timeout would fail a slow but healthy answer.
  const readinessTimeout = container.readinessProbe?.timeoutSeconds ?? 1;
  if (readinessTimeout <= 2) problems.push(`container: readinessProbe.timeoutSeconds must exceed the server's 2 s check (got ${readinessTimeout})`);
  const metricsPort = containerPort(container, 'metrics');
  if (metricsPort !== METRICS_PORT) problems.push(`container: a port named metrics must be ${METRICS_PORT} (got ${metricsPort ?? 'none'})`);
  if (env.METRICS_PORT !== String(metricsPort)) problems.push(`container: METRICS_PORT ${JSON.stringify(env.METRICS_PORT)} must equal the metrics port ${metricsPort}`);
  return problems;
}

function lockDownProblems(pod: NonNullable<NonNullable<IDeployment['spec']>['template']['spec']>, container: IContainer): string[] {
  const problems: string[] = [];
  const security = container.securityContext;
  const runAsNonRoot = security?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
  const runAsUser = security?.runAsUser ?? pod.securityContext?.runAsUser;
  if (runAsNonRoot !== true) problems.push('pod: runAsNonRoot must be true');
  // The image's user is a name (`node`): the kubelet can only verify non-root with a numeric uid.
  if (runAsUser === undefined || runAsUser === 0) problems.push('pod: runAsUser must be a non-zero uid');
  if (security?.readOnlyRootFilesystem !== true) problems.push('container: readOnlyRootFilesystem must be true');
  if (security?.allowPrivilegeEscalation !== false) problems.push('container: allowPrivilegeEscalation must be false');
  if (!security?.capabilities?.drop?.includes('ALL')) problems.push('container: capabilities must drop ALL');
  const seccomp = security?.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push('pod: seccompProfile must be RuntimeDefault');
  if (pod.automountServiceAccountToken !== false) problems.push('pod: automountServiceAccountToken must be false (Tessera calls no Kubernetes API)');
  return problems;
}

function resourceProblems(container: IContainer): string[] {
  const problems: string[] = [];
  const { requests, limits } = container.resources ?? {};
  if (requests?.cpu === undefined) problems.push('container: resources.requests.cpu must be set (the autoscaler scales on CPU)');
  if (requests?.memory === undefined) problems.push('container: resources.requests.memory must be set');
  if (limits?.memory === undefined) problems.push('container: resources.limits.memory must be set');
  return problems;
}

function shutdownProblems(gracePeriod: number | undefined, container: IContainer, env: Record<string, string>): string[] {
  const problems: string[] = [];
  const command = container.lifecycle?.preStop?.exec?.command;
  const sleep = command?.[0] === 'sleep' ? Number(command[1]) : (container.lifecycle?.preStop?.sleep?.seconds ?? Number.NaN);
  if (!(sleep >= 5)) {
    problems.push('container: preStop must wait (at least 5 s) while endpoints stop sending traffic before SIGTERM closes the listener');
  }
  // After preStop, SIGTERM: the server may go on serving for SHUTDOWN_DRAIN_SECONDS, then in-flight
  // requests finish (bounded by PostgreSQL's 15 s statement timeout, libs/server/persistence
  // data-source.ts) and the stores close.
  const drain = Number(env.SHUTDOWN_DRAIN_SECONDS ?? DEFAULT_SHUTDOWN_DRAIN_SECONDS);
  const grace = gracePeriod ?? 30;
  if (sleep >= 5 && grace < sleep + drain + 15) {
    problems.push(`pod: terminationGracePeriodSeconds ${grace} leaves under 15 s to finish requests after the ${sleep} s preStop and ${drain} s drain`);
  }
  return problems;
}

function scalingProblems(objects: readonly KubeObject[], deployment: KubeObject & IDeployment, podLabels: Record<string, string> | undefined): string[] {
  const problems: string[] = [];
  if (deployment.spec?.replicas !== undefined) problems.push('Deployment: replicas must be unset: the HorizontalPodAutoscaler owns it');
  const rolling = deployment.spec?.strategy?.rollingUpdate;
  if (deployment.spec?.strategy?.type !== 'RollingUpdate' || rolling?.maxUnavailable !== 0) {
    problems.push('Deployment: rolling updates must keep every pod until its replacement is ready (maxUnavailable 0)');
  }
  const hpa = one(objects, 'HorizontalPodAutoscaler') as KubeObject & IHorizontalPodAutoscaler;
  const target = hpa.spec?.scaleTargetRef;
  if (target?.kind !== 'Deployment' || target.name !== deployment.metadata.name) problems.push('HorizontalPodAutoscaler: must scale the Deployment');
  const minReplicas = hpa.spec?.minReplicas ?? 1;
  if (minReplicas < 2) problems.push(`HorizontalPodAutoscaler: minReplicas must be at least 2 (got ${minReplicas})`);
  if ((hpa.spec?.maxReplicas ?? 0) < minReplicas) problems.push('HorizontalPodAutoscaler: maxReplicas is below minReplicas');
  const pdb = one(objects, 'PodDisruptionBudget') as KubeObject & IPodDisruptionBudget;
  if (!selects(pdb.spec?.selector?.matchLabels, podLabels)) problems.push("PodDisruptionBudget: its selector does not select the Deployment's pods");
  // A budget that allows no eviction blocks every node drain.
  const { maxUnavailable, minAvailable } = pdb.spec ?? {};
  if (maxUnavailable === undefined && (typeof minAvailable !== 'number' || minAvailable >= minReplicas)) {
    problems.push('PodDisruptionBudget: must allow one eviction at the minimum replica count (use maxUnavailable: 1)');
  }
  if (maxUnavailable === 0 || maxUnavailable === '0%') problems.push('PodDisruptionBudget: maxUnavailable 0 blocks every node drain');
  return problems;
}

function serviceProblems(objects: readonly KubeObject[], container: IContainer, podLabels: Record<string, string> | undefined): string[] {
  const problems: string[] = [];
  const service = one(objects, 'Service') as KubeObject & IService;
  if (!selects(service.spec?.selector, podLabels)) problems.push("Service: its selector does not select the Deployment's pods");
  const portNames = new Set((container.ports ?? []).map((port) => port.name));
  for (const port of service.spec?.ports ?? []) {
    if (typeof port.targetPort !== 'string' || !portNames.has(port.targetPort)) {
      problems.push(`Service: port ${port.name} must target a named container port (got ${JSON.stringify(port.targetPort)})`);
    }
  }
  for (const policy of find(objects, 'NetworkPolicy') as Array<KubeObject & INetworkPolicy>) {
    if (!selects(policy.spec?.podSelector?.matchLabels, podLabels)) problems.push(`NetworkPolicy ${policy.metadata.name}: does not select the pods`);
    for (const rule of policy.spec?.ingress ?? []) {
      for (const port of rule.ports ?? []) {
        if (typeof port.port === 'string' && !portNames.has(port.port)) problems.push(`NetworkPolicy ${policy.metadata.name}: names unknown port ${port.port}`);
      }
    }
  }
  return problems;
}

function productionProblems(objects: readonly KubeObject[], container: IContainer, env: Record<string, string>): string[] {
  const problems: string[] = [];
  const image = container.image ?? '';
  const digest = image.includes('@sha256:');
  const tag = /:([^/:@]+)$/.exec(image)?.[1];
  if (!digest && (tag === undefined || tag === 'latest')) problems.push(`container: image ${JSON.stringify(image)} must be pinned to a version tag or digest, not latest`);

  const ingress = find(objects, 'Ingress')[0] as (KubeObject & IIngress) | undefined;
  if (!ingress) return [...problems, 'production: an Ingress must terminate TLS in front of the Service'];
  const publicHost = env.PUBLIC_URL ? new URL(env.PUBLIC_URL).host : undefined;
  const tlsHosts = (ingress.spec?.tls ?? []).flatMap((tls) => tls.hosts ?? []);
  if (publicHost === undefined || !tlsHosts.includes(publicHost)) {
    problems.push(`Ingress: TLS must cover the PUBLIC_URL host ${publicHost ?? '(unset)'} (has ${tlsHosts.join(', ') || 'none'})`);
  }
  const service = one(objects, 'Service');
  const rule = ingress.spec?.rules?.find((each) => each.host === publicHost);
  const backend = rule?.http?.paths.find((path) => path.path === '/')?.backend.service;
  if (!backend || backend.name !== service.metadata.name || backend.port?.name !== 'http') {
    problems.push(`Ingress: / on ${publicHost} must go to port http of Service ${service.metadata.name}`);
  }
  if (!env.TRUST_PROXY) problems.push('container: TRUST_PROXY must name the ingress controller, or the server cannot see https and client addresses');
  return problems;
}
