/** The terminal diff masks secret fields only, not the records that hold them (issue 11 §6). */
import { describe, expect, it } from 'vitest';
import { formatChange } from '../../../src/cli/format-plan.ts';
import type { Change, Entity } from '../../../src/core/index.ts';

const update = (kind: Change['kind'], fields: Change['fields']): Change => ({
  op: 'update',
  kind,
  id: 'x',
  name: 'n',
  before: { id: 'x' } as Entity,
  after: { id: 'x' } as Entity,
  fields,
});

describe('formatChange masking', () => {
  it('a plugin config that changes whole shows its plain fields and masks only the secrets inside', () => {
    const lines = formatChange(
      update('plugins', [
        {
          path: 'config',
          before: { hide_credentials: false, realm: 'service' },
          after: { hide_credentials: true, realm: 'service', redis: { host: 'r', password: 'hunter2' } },
        },
      ]),
    );
    expect(lines[1]).toBe(
      '    config: {"hide_credentials":false,"realm":"service"} → {"hide_credentials":true,"realm":"service","redis":{"host":"r","password":"[masked]"}}',
    );
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('a leaf secret is masked whole: a credential key, a plugin config secret', () => {
    expect(formatChange(update('keyauth_credentials', [{ path: 'key', before: 'a', after: 'b' }]))[1]).toBe(
      '    key: [masked] → [masked]',
    );
    expect(
      formatChange(update('plugins', [{ path: 'config.redis.password', before: 'a', after: 'b' }]))[1],
    ).toBe('    config.redis.password: [masked] → [masked]');
    expect(
      formatChange(update('plugins', [{ path: 'config.key_names', before: ['apikey'], after: ['k'] }]))[1],
    ).toBe('    config.key_names: ["apikey"] → ["k"]');
  });
});
