/**
 * The deployment files (docs/deploy.md) checked by the validators that run here: the Kubernetes manifests
 * against the Kubernetes API's JSON schemas (`kubernetes-models`), the ConfigMap's `snapgate.yml` through
 * snapgate's own config loader with the Secret's variables, every container's `args` against the CLI's
 * own command table, the probes against the paths `serve` answers, the systemd units with
 * `systemd-analyze verify`, and the Dockerfile parsed with `dockerfile-ast` (no Docker daemon here).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { type Copy, DockerfileParser } from 'dockerfile-ast';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { registerCommands } from '../../../src/cli/commands/index.ts';
import { loadConfig } from '../../../src/config/index.ts';

const ROOT = join(import.meta.dirname, '../../..');
const K8S = join(ROOT, 'deploy/k8s');
const run = promisify(execFile);

type Manifest = { kind: string; metadata: { name: string }; [k: string]: unknown };

function manifests(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((d) => d.toJSON() as Manifest);
}

const all = ['configmap.yaml', 'secret.yaml', 'serve.yaml', 'worker.yaml'].flatMap(manifests);
const byKind = (kind: string) => all.filter((m) => m.kind === kind);
const deployments = () => byKind('Deployment').map((m) => new Deployment(m as never));

/** Every `--flag` of a command line must be one the CLI's command defines. */
function unknownFlags(args: string[]): string[] {
  const program = new Command('snapgate');
  registerCommands(program);
  const words = args.filter((a) => !a.startsWith('-'));
  let command: Command = program;
  for (const word of words) {
    const sub = command.commands.find((c) => c.name() === word);
    if (!sub) break;
    command = sub;
  }
  expect(command.name(), `no snapgate command ${words.join(' ')}`).not.toBe('snapgate');
  const known = new Set(command.options.map((o) => o.long));
  return args.filter((a) => a.startsWith('--') && !known.has(a.split('=')[0]));
}

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('every object validates against the Kubernetes API schema', () => {
    const models = { ConfigMap, Secret, Service, Deployment } as const;
    expect(all.map((m) => m.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'Deployment',
      'Secret',
      'Service',
    ]);
    for (const m of all) {
      const Model = models[m.kind as keyof typeof models];
      expect(() => new Model(m as never).validate(), `${m.kind} ${m.metadata.name}`).not.toThrow();
    }
  });

  it('the validator has teeth: a misspelt field or a wrong type is refused', () => {
    const serve = structuredClone(byKind('Deployment')[0]!) as unknown as { spec: { replicas: unknown } };
    serve.spec.replicas = 'two';
    expect(() => new Deployment(serve as never).validate()).toThrow();
  });

  it('serve runs 2 replicas with liveness /healthz and readiness /readyz; workers probe their metrics port', () => {
    const [serve, worker] = ['snapgate-serve', 'snapgate-worker'].map(
      (name) => deployments().find((d) => d.metadata?.name === name)!,
    );
    expect(serve?.spec?.replicas).toBe(2);
    const bot = serve!.spec!.template.spec!.containers[0]!;
    expect(bot.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(bot.readinessProbe?.httpGet?.path).toBe('/readyz');
    const w = worker!.spec!.template.spec!.containers[0]!;
    expect(w.livenessProbe?.httpGet?.port).toBe('metrics');
    expect(w.ports?.find((p) => p.name === 'metrics')?.containerPort).toBe(
      Number(w.args![w.args!.indexOf('--metrics-port') + 1]),
    );
  });

  it('pods never run as root and cannot write their image', () => {
    for (const d of deployments()) {
      const pod = d.spec!.template.spec!;
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(c.securityContext?.readOnlyRootFilesystem).toBe(true);
      }
    }
  });

  it('every container runs a valid snapgate command line', () => {
    for (const d of deployments()) {
      const pod = d.spec!.template.spec!;
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        expect(unknownFlags(c.args ?? []), `${d.metadata?.name}/${c.name}`).toEqual([]);
      }
    }
  });

  it("the ConfigMap's snapgate.yml loads with the Secret's variables (and names every one it needs)", async () => {
    const config = byKind('ConfigMap')[0] as unknown as { data: Record<string, string> };
    const secret = byKind('Secret')[0] as unknown as { stringData: Record<string, string> };
    const dir = mkdtempSync(join(tmpdir(), 'snapgate-k8s-'));
    try {
      const path = join(dir, 'snapgate.yml');
      writeFileSync(path, config.data['snapgate.yml']!);
      const env: Record<string, string> = { ...secret.stringData, SNAPGATE_KEY_1: 'c'.repeat(64) };
      const loaded = await loadConfig({ path, env });
      expect(loaded.connections.map((c) => c.name)).toEqual(['prod']);
      expect(loaded.storage.primary.type).toBe('s3');
      const { KONG_PROD_TOKEN: _token, ...withoutToken } = env;
      await expect(loadConfig({ path, env: withoutToken })).rejects.toThrow(/KONG_PROD_TOKEN/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('systemd units (deploy/systemd)', () => {
  it.each(['snapgate.service', 'snapgate-worker.service'])(
    '%s passes systemd-analyze verify',
    async (unit) => {
      const dir = mkdtempSync(join(tmpdir(), 'snapgate-unit-'));
      try {
        const path = join(dir, unit);
        writeFileSync(path, readFileSync(join(ROOT, 'deploy/systemd', unit), 'utf8'));
        const { stderr } = await run('systemd-analyze', ['verify', path]);
        expect(stderr).toBe('');
        const text = readFileSync(path, 'utf8');
        const exec = /^ExecStart=\/usr\/bin\/node \/opt\/snapgate\/bin\/snapgate (.*)$/m.exec(text);
        expect(exec).not.toBeNull();
        expect(unknownFlags(exec![1]!.split(' '))).toEqual([]);
        expect(text).toMatch(/^User=snapgate$/m);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('Dockerfile (deploy/Dockerfile)', () => {
  const dockerfile = DockerfileParser.parse(readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8'));
  const instructions = dockerfile.getInstructions();
  const final = instructions.slice(instructions.map((i) => i.getKeyword()).lastIndexOf('FROM'));

  it('the runtime stage runs as a non-root user, checks /healthz and starts snapgate', () => {
    const user = final.filter((i) => i.getKeyword() === 'USER').at(-1);
    expect(user?.getArgumentsContent()).toBe('node');
    const health = final.find((i) => i.getKeyword() === 'HEALTHCHECK');
    expect(health?.getArgumentsContent()).toMatch(/\/healthz/);
    expect(final.find((i) => i.getKeyword() === 'ENTRYPOINT')?.getArgumentsContent()).toMatch(
      /bin\/snapgate/,
    );
    const cmd = JSON.parse(final.find((i) => i.getKeyword() === 'CMD')!.getArgumentsContent()!) as string[];
    expect(unknownFlags(cmd)).toEqual([]);
  });

  it('copies only what the repository (or its build stage) has', () => {
    const copies = instructions.filter((i) => i.getKeyword() === 'COPY') as Copy[];
    expect(copies.length).toBeGreaterThan(3);
    for (const copy of copies) {
      const args = copy.getArguments().map((a) => a.getValue());
      if (copy.getFromFlag()) continue; // from the build stage
      for (const source of args.slice(0, -1)) expect(existsSync(join(ROOT, source)), source).toBe(true);
    }
  });
});
