/**
 * Issue 18 §5: `snapgate artifact inspect` prints a header anyone can edit. A crafted header (a connection
 * like `../../etc/passwd`, terminal escape sequences in any field or key) is refused with a clear error
 * and a non-zero exit, and nothing of it reaches the terminal raw; a real header still prints.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliInProcess, runSnapgateBin } from '../../support/snapgate-cli.ts';

const FIXTURE = new URL(
  '../../fixtures/artifacts/kong-prod-eu-20261120-0900-manual-f9e8d7c6.sgb',
  import.meta.url,
);
const dir = mkdtempSync(join(tmpdir(), 'snapgate-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture with its header JSON edited (the length field rewritten to match). */
function crafted(name: string, edit: Edit): string {
  const bytes = readFileSync(FIXTURE);
  const length = bytes.readUInt32BE(10);
  const header = JSON.parse(bytes.subarray(14, 14 + length).toString('utf8'));
  const json = Buffer.from(JSON.stringify(edit(header)), 'utf8');
  const prefix = Buffer.from(bytes.subarray(0, 14));
  prefix.writeUInt32BE(json.length, 10);
  const path = join(dir, `${name}.sgb`);
  writeFileSync(path, Buffer.concat([prefix, json, bytes.subarray(14 + length)]));
  return path;
}

const ESC = '\u001b';
type Header = Record<string, unknown>;
type Edit = (h: Header) => Header;

describe('artifact inspect', () => {
  it('prints a real header', async () => {
    const run = await cliInProcess(['artifact', 'inspect', FIXTURE.pathname]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^connection +prod-eu$/m);
    expect(run.out).toMatch(/^counts +services=1 consumers=1 keyauth_credentials=1 certificates=1$/m);
  });

  it.each([
    [
      'a connection that is a path',
      (h: Header) => ({ ...h, connection: '../../etc/passwd' }),
      /connection: must be a connection name: lowercase letters/,
    ],
    [
      'an escape sequence in the environment',
      (h: Header) => ({ ...h, environment: `prod${ESC}]0;pwned\u0007` }),
      /environment: must be an environment name/,
    ],
    [
      'a screen-clearing kongVersion',
      (h: Header) => ({ ...h, kongVersion: `3.9.1${ESC}[2J${ESC}[H` }),
      /kongVersion: must be at most 100 printable ASCII characters/,
    ],
    [
      'an escape sequence in a count kind',
      (h: Header) => ({ ...h, counts: { [`services${ESC}[31m`]: 1 } }),
      /counts\.services\\u001b\[31m: Invalid key in record/,
    ],
    [
      'an unknown field named with an escape sequence',
      (h: Header) => ({ ...h, [`x${ESC}[8m`]: 'hidden' }),
      /header of .* is damaged \(: Unrecognized key: "x\\u001b\[8m"\)/,
    ],
    [
      'a backup id with a newline',
      (h: Header) => ({ ...h, backupId: 'a1b2\nconnection       prod' }),
      /backupId: must be 1-128 letters/,
    ],
    [
      'a time that is not one',
      (h: Header) => ({ ...h, createdAt: 'yesterday' }),
      /createdAt: must be an ISO 8601 time/,
    ],
  ] as [string, Edit, RegExp][])(
    'refuses %s with a clear error, nothing raw printed',
    async (name, edit, expected) => {
      const file = crafted(name.replaceAll(' ', '-'), edit);
      const run = await cliInProcess(['artifact', 'inspect', file]);
      expect(run.code).toBe(1);
      expect(run.out).toBe('');
      expect(run.err).toMatch(expected);
      expect(run.err).not.toContain(ESC);
      expect(run.err).not.toContain('\u0007');
    },
  );

  it('the real CLI exits 1 on a crafted header and prints no stack', async () => {
    const file = crafted('bin-passwd', (h: Header) => ({ ...h, connection: '../../etc/passwd' }));
    const run = await runSnapgateBin(['artifact', 'inspect', file], {});
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/^snapgate: header of .* is damaged \(connection: must be a connection name/);
    expect(run.err).not.toMatch(/\n\s+at /);
  });
});
