import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderKustomization, schemaProblems, type KubeObject } from './manifest-checks.js';
import { invariantProblems } from './manifest-invariants.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const LAYERS = [
  { name: 'base', dir: path.join(here, 'base'), production: false },
  { name: 'production overlay', dir: path.join(here, 'overlays/production'), production: true },
] as const;

type Mutable = Record<string, any>;

/** A deep copy of the rendered objects with one change, to show that a check catches it. */
function broken(objects: readonly KubeObject[], kind: string, change: (object: Mutable) => void): KubeObject[] {
  const copy = structuredClone(objects) as KubeObject[];
  change(copy.find((object) => object.kind === kind) as Mutable);
  return copy;
}

function container(deployment: Mutable): Mutable {
  return deployment.spec.template.spec.containers[0];
}

describe.each(LAYERS)('Kubernetes manifests: $name', ({ dir, production }) => {
  let objects: KubeObject[];

  beforeAll(() => {
    objects = renderKustomization(dir);
  });

  it('render the objects a scaled-out deployment needs', () => {
    const kinds = objects.map((object) => object.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ConfigMap', 'ServiceAccount']));
    if (production) expect(kinds).toEqual(expect.arrayContaining(['Namespace', 'Ingress', 'NetworkPolicy']));
    // The Secret is the operator's (docs/deploy.md): no secret value is ever committed here.
    expect(kinds).not.toContain('Secret');
  });

  it('validate, every object, against the Kubernetes API schemas', async () => {
    expect(await schemaProblems(objects)).toEqual([]);
  });

  it('hold what Tessera needs: probes, production configuration, locked-down pods, shutdown, scaling', async () => {
    expect(await invariantProblems(objects, { production })).toEqual([]);
  });

  it('fail the schema check when a field has the wrong type or a kind does not exist', async () => {
    const wrongType = broken(objects, 'Deployment', (deployment) => {
      container(deployment).resources.requests.cpu = 'a lot';
      deployment.spec.minReadySeconds = 'five';
    });
    expect(await schemaProblems(wrongType)).toEqual([
      expect.stringMatching(/^Deployment tessera: .*minReadySeconds must be integer.*resources\/requests\/cpu must match format "quantity"/),
    ]);
    const wrongKind = broken(objects, 'PodDisruptionBudget', (pdb) => {
      pdb.kind = 'PodDisruptionBudgets';
    });
    expect(await schemaProblems(wrongKind)).toEqual(['PodDisruptionBudgets tessera: kind "PodDisruptionBudgets" does not exist in policy/v1']);
  });

  it('fail the invariants when a probe, a secret, the configuration or the lock-down is wrong', async () => {
    const mangled = broken(objects, 'Deployment', (deployment) => {
      const tessera = container(deployment);
      tessera.livenessProbe.httpGet.path = '/health';
      tessera.env = tessera.env.filter((variable: Mutable) => variable.name !== 'KEY_ENCRYPTION_KEY');
      tessera.securityContext.readOnlyRootFilesystem = false;
      deployment.spec.template.spec.terminationGracePeriodSeconds = 12;
    });
    expect(await invariantProblems(mangled, { production })).toEqual([
      'container: KEY_ENCRYPTION_KEY is required in production and must come from Secret tessera-secrets',
      'configuration refused by the server: KEY_ENCRYPTION_KEY: is required when NODE_ENV=production (generate one with `openssl rand -base64 32`)',
      'container: livenessProbe asks "/health", the server answers it on /healthz',
      'container: readOnlyRootFilesystem must be true',
      'pod: terminationGracePeriodSeconds 12 leaves under 15 s to finish requests after the 10 s preStop and 0 s drain',
    ]);
    const typo = broken(objects, 'ConfigMap', (configMap) => {
      configMap.data.PUBLIC_URL = 'http://auth.example.com';
      configMap.data.LOG_LEVL = 'debug';
      configMap.data.SHUTDOWN_DRAIN_SECONDS = '10';
    });
    expect(await invariantProblems(typo, { production })).toEqual(
      expect.arrayContaining([
        'container: LOG_LEVL is not a variable the server reads (a typo?)',
        'configuration refused by the server: PUBLIC_URL: must be an https URL when NODE_ENV=production (got "http://auth.example.com")',
        'pod: terminationGracePeriodSeconds 30 leaves under 15 s to finish requests after the 10 s preStop and 10 s drain',
      ]),
    );
  });
});

describe('Kubernetes manifests: production overlay only', () => {
  let rendered: KubeObject[];
  const objects = () => rendered;

  beforeAll(() => {
    rendered = renderKustomization(path.join(here, 'overlays/production'));
  });

  it('refuses an image that is not pinned', async () => {
    const latest = broken(objects(), 'Deployment', (deployment) => {
      container(deployment).image = 'registry.example.com/tessera:latest';
    });
    expect(await invariantProblems(latest, { production: true })).toEqual([
      'container: image "registry.example.com/tessera:latest" must be pinned to a version tag or digest, not latest',
    ]);
  });

  it('refuses an Ingress whose TLS host is not the PUBLIC_URL host', async () => {
    const elsewhere = broken(objects(), 'Ingress', (ingress) => {
      ingress.spec.tls[0].hosts = ['login.example.com'];
    });
    expect(await invariantProblems(elsewhere, { production: true })).toEqual([
      'Ingress: TLS must cover the PUBLIC_URL host auth.example.com (has login.example.com)',
    ]);
  });
});
