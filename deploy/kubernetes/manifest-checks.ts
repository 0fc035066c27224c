// Checks of the rendered Kubernetes manifests (deploy/kubernetes), used by manifests.spec.ts:
// each returns the problems it finds as sentences, so a test can show both that the committed
// manifests pass and that a broken one fails.
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object, read as plain data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Renders a kustomization with kustomize 5 (`kustomize build`, or the copy inside `kubectl`). */
export function renderKustomization(dir: string): KubeObject[] {
  const attempts: Array<[string, string[]]> = [
    ['kubectl', ['kustomize', dir]],
    ['kustomize', ['build', dir]],
  ];
  const failures: string[] = [];
  for (const [command, args] of attempts) {
    let output: string;
    try {
      output = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    } catch (error) {
      const { code, stderr } = error as { code?: string; stderr?: string };
      // Not installed: try the next one. Installed but the kustomization is wrong: that is the answer.
      if (code === 'ENOENT') {
        failures.push(`${command}: not found`);
        continue;
      }
      throw new Error(`${command} ${args.join(' ')} failed: ${stderr?.trim() || String(error)}`, { cause: error });
    }
    return parseAllDocuments(output).map((document) => {
      if (document.errors.length > 0) throw new Error(`${command} printed YAML that does not parse: ${document.errors[0]!.message}`);
      return document.toJS() as KubeObject;
    });
  }
  throw new Error(`rendering ${dir} needs kustomize 5 or kubectl 1.27+ on the PATH (${failures.join('; ')})`);
}

/**
 * Validates every object against the JSON schema of its kind from `kubernetes-models` (types,
 * required fields, enums, formats such as quantities). A kind or API version it does not know is
 * a problem too: a typo there would otherwise pass unchecked.
 */
export async function schemaProblems(objects: readonly KubeObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    const where = `${object.kind ?? '(no kind)'} ${object.metadata?.name ?? '(no name)'}`;
    let models: Record<string, unknown>;
    try {
      models = (await import(`kubernetes-models/${object.apiVersion}`)) as Record<string, unknown>;
    } catch {
      problems.push(`${where}: apiVersion ${JSON.stringify(object.apiVersion)} is not a Kubernetes API version`);
      continue;
    }
    const Model = models[object.kind] as (new (data: unknown) => { validate(): void }) | undefined;
    if (typeof Model !== 'function') {
      problems.push(`${where}: kind ${JSON.stringify(object.kind)} does not exist in ${object.apiVersion}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}

export function find(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind);
}

export function one(objects: readonly KubeObject[], kind: string): KubeObject {
  const found = find(objects, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0]!;
}

/** Labels `selector` asks for are all on `labels`. */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}
