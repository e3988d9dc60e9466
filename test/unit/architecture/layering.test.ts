/**
 * The layering check: every import between top-level folders of `src/` must be allowed by the table
 * below (the same table as docs/architecture.md and each folder's README). Data flows one way: entry
 * points (bot, cli, jobs' processors) → application (app) → ports (app/ports) → core; implementations
 * (kong, db, storage, and jobs for the work queue) implement ports; only the composition root (compose)
 * picks implementations.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SRC = join(ROOT, 'src');

/** folder → folders it may import (besides itself). `app/ports` is its own layer. */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  'app/ports': ['core'],
  app: ['app/ports', 'audit', 'config', 'core'],
  config: ['core'],
  kong: ['app/ports', 'config', 'core'],
  aws: ['app/ports', 'config', 'core'],
  storage: ['app/ports', 'config', 'core'],
  db: ['app/ports', 'core'],
  audit: ['app/ports', 'core'],
  // the composition root: picks every implementation (jobs: the work-queue port over BullMQ)
  compose: ['app', 'app/ports', 'audit', 'aws', 'config', 'core', 'db', 'jobs', 'kong', 'observe', 'storage'],
  // health, readiness, metrics, logs: fed by the application's events and what compose hands in; logs
  // remove secrets with the audit log's guard
  observe: ['app', 'app/ports', 'audit', 'config', 'core'],
  // the BullMQ adapter: processors call the use cases; it reads `redis:` (config) to open its connections
  jobs: ['app', 'app/ports', 'config', 'core'],
  bot: ['app', 'app/ports', 'audit', 'config', 'core', 'jobs', 'compose', 'observe'],
  cli: ['app', 'app/ports', 'audit', 'compose', 'config', 'core', 'jobs', 'storage', 'bot', 'observe'],
  // the local console: a Slack stand-in; it reads the bot's Block Kit limits and command table, and
  // talks to the bot over HTTP only
  console: ['bot'],
};

/** The folder (layer) a file under src/ belongs to. */
function layerOf(file: string): string {
  const rel = relative(SRC, file).split(/[\\/]/);
  if (rel[0] === 'app' && rel[1] === 'ports') return 'app/ports';
  return rel.length > 1 ? (rel[0] as string) : '.';
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

/** Every relative import of `file` that leaves its layer: [specifier, target layer]. */
function crossings(file: string, text = readFileSync(file, 'utf8')): { spec: string; to: string }[] {
  const out: { spec: string; to: string }[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec?.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(SRC)) {
      out.push({ spec, to: 'outside src' });
      continue;
    }
    const to = layerOf(target);
    if (to !== layerOf(file)) out.push({ spec, to });
  }
  return out;
}

describe('layering', () => {
  const files = sourceFiles(SRC);

  it('knows every top-level folder of src/', () => {
    const layers = new Set(files.map(layerOf).filter((l) => l !== '.'));
    expect([...layers].filter((l) => !(l in ALLOWED))).toEqual([]);
  });

  it('no folder imports one it must not', () => {
    const violations = files.flatMap((file) => {
      const from = layerOf(file);
      if (from === '.') return [];
      const allowed = ALLOWED[from] ?? [];
      return crossings(file)
        .filter((c) => !allowed.includes(c.to))
        .map((c) => `${relative(ROOT, file)} (${from}) imports ${c.spec} (${c.to})`);
    });
    expect(violations).toEqual([]);
  });

  it('only the composition root imports a gateway or records implementation', () => {
    const rooted = files.flatMap((file) =>
      crossings(file)
        .filter((c) => c.to === 'kong' || c.to === 'db')
        .filter(() => layerOf(file) !== 'compose')
        .map((c) => `${relative(ROOT, file)} imports ${c.spec}`),
    );
    expect(rooted).toEqual([]);
  });

  it('the check sees a forbidden import (core importing kong)', () => {
    const file = join(SRC, 'core', 'x.ts');
    const found = crossings(file, "import { applyPlan } from '../kong/index.ts';\nexport const x = 1;\n");
    expect(found).toEqual([{ spec: '../kong/index.ts', to: 'kong' }]);
    expect(ALLOWED.core).not.toContain('kong');
  });
});
