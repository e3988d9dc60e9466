/**
 * Every secret value a loaded config holds, revealed in one place so the logger can remove each wherever
 * it would appear in a line (src/observe/log.ts). Walks the config for `Secret`s, so a secret added to
 * the config later is covered without a change here. Binary keys are listed in the forms they could be
 * printed in (hex, base64).
 */
import { Secret } from './secret.ts';
import type { Config } from './types.ts';

export function configSecretValues(config: Config): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > 10 || value === null || typeof value !== 'object') return;
    if (value instanceof Secret) {
      const v = value.reveal() as unknown;
      if (typeof v === 'string') found.add(v);
      else if (Buffer.isBuffer(v)) {
        found.add(v.toString('hex'));
        found.add(v.toString('base64'));
      }
      return;
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) walk(child, depth + 1);
  };
  walk(config, 0);
  return [...found].filter((s) => s.length >= 4);
}
