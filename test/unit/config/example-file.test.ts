/**
 * `snapgate.example.yml` says it lists every field snapgate.yml understands: every key the loader's schema
 * accepts must appear in it (keys the schema only refuses, like an inline `token`, excepted), and the
 * example must not show a key the schema does not know.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { configFileSchema } from '../../../src/config/schema.ts';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Key paths like `connections[].tls.caFile` the schema accepts; `z.never()` keys are refusals, not fields. */
function schemaKeyPaths(schema: z.ZodType, prefix = ''): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
      return schemaKeyPaths(def.innerType!, prefix);
    case 'pipe':
      return schemaKeyPaths(def.in!, prefix);
    case 'array':
      return schemaKeyPaths(def.element!, `${prefix}[]`);
    case 'union':
      return [...new Set(def.options!.flatMap((o) => schemaKeyPaths(o, prefix)))];
    case 'object':
      return Object.entries(def.shape!).flatMap(([key, value]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        const inner = defOf(value);
        const refused =
          inner.type === 'never' || (inner.innerType && defOf(inner.innerType).type === 'never');
        return refused ? [] : [path, ...schemaKeyPaths(value, path)];
      });
    default:
      return [];
  }
}

function exampleKeyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => exampleKeyPaths(v, `${prefix}[]`)))];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...exampleKeyPaths(v, path)];
  });
}

const root = join(import.meta.dirname, '../../..');
const exampleText = readFileSync(join(root, 'snapgate.example.yml'), 'utf8');
const example = parse(exampleText);

/**
 * `database:` shows SQLite (`path`) live and PostgreSQL commented out, because the two exclude each other;
 * `redis:` shows one server live and its other options (ACL user, password, TLS, Sentinel, Cluster)
 * commented out. A section's variant is the same file with its `  # key: value` lines uncommented (and
 * `drop` removed). Both variants' keys count as shown.
 */
function commentedVariant(text: string, section: string, drop?: string): unknown {
  const block = new RegExp(`^${section}:\\n((?: {2}.*\\n)+)`, 'm');
  const variant = text.replace(block, (_block, body: string) => {
    const lines = body
      .split('\n')
      .filter((line) => !drop || !line.startsWith(`  ${drop}:`))
      .filter((line) => !line.startsWith('  # ') || /^ {2}# [a-zA-Z]+: /.test(line))
      .map((line) => line.replace(/^ {2}# /, '  ').replace(/\s+# .*$/, ''));
    return `${section}:\n${lines.join('\n')}`;
  });
  return parse(variant);
}

describe('snapgate.example.yml against the loader schema', () => {
  const inSchema = schemaKeyPaths(configFileSchema).sort();
  const postgres = commentedVariant(exampleText, 'database', 'path') as { database: Record<string, unknown> };
  const redis = commentedVariant(exampleText, 'redis') as { redis: Record<string, unknown> };
  const inExample = [
    ...new Set([...exampleKeyPaths(example), ...exampleKeyPaths(postgres), ...exampleKeyPaths(redis)]),
  ].sort();

  it('the PostgreSQL variant of database: is a complete one', () => {
    expect(Object.keys(postgres.database).sort()).toEqual([
      'passwordEnv',
      'passwordFile',
      'poolSize',
      'schema',
      'ssl',
      'url',
    ]);
  });

  it('the commented variant of redis: shows every option', () => {
    expect(Object.keys(redis.redis).sort()).toEqual([
      'cluster',
      'passwordEnv',
      'passwordFile',
      'prefix',
      'sentinel',
      'tls',
      'url',
      'username',
    ]);
  });

  it('the schema walk finds the nested keys (a walk that found nothing would prove nothing)', () => {
    expect(inSchema).toEqual(
      expect.arrayContaining([
        'connections[].tls.caFile',
        'storage.copies[].path',
        'restores.approvalTimeout',
      ]),
    );
    expect(inSchema).not.toContain('connections[].token');
  });

  it('shows every key the schema accepts', () => {
    // storage.primary takes the same target object as each storage.copies[] entry: shown once, under copies
    const shown = (k: string) =>
      inExample.includes(k) || inExample.includes(k.replace(/^storage\.primary\./, 'storage.copies[].'));
    expect(inSchema.filter((k) => !shown(k))).toEqual([]);
  });

  it('shows no key the schema does not know', () => {
    expect(inExample.filter((k) => !inSchema.includes(k))).toEqual([]);
  });
});
