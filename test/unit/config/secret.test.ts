import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeKey, Secret } from '../../../src/config/index.ts';

describe('Secret', () => {
  const secret = new Secret('hunter2-token');

  it.each([
    ['String()', () => String(secret)],
    ['template', () => `${secret}`],
    ['concatenation', () => 'x' + secret],
    ['JSON.stringify', () => JSON.stringify({ token: secret })],
    ['util.inspect', () => inspect({ token: secret }, { depth: 5, showHidden: true })],
    ['Object.keys', () => JSON.stringify(Object.keys(secret))],
    ['spread', () => JSON.stringify({ ...secret })],
  ])('%s does not reveal the value', (_name, toText) => {
    const text = toText();
    expect(text).not.toContain('hunter2');
  });

  it('reveals the value only on request', () => {
    expect(secret.reveal()).toBe('hunter2-token');
    expect(JSON.stringify({ token: secret })).toBe('{"token":"[redacted]"}');
    expect(Object.isFrozen(secret)).toBe(true);
  });
});

describe('decodeKey', () => {
  const bytes = Buffer.from([...Array(32).keys()]);
  it.each([
    ['hex', bytes.toString('hex')],
    ['base64', bytes.toString('base64')],
    ['base64url', bytes.toString('base64url')],
    ['with whitespace', ` ${bytes.toString('base64')}\n`],
  ])('%s', (_name, text) => {
    expect(decodeKey(text)).toEqual(bytes);
  });
  it.each([
    '',
    'abcd',
    'z'.repeat(64),
    Buffer.alloc(16).toString('base64'),
    Buffer.alloc(48, 255).toString('base64'),
  ])('refuses %j', (text) => {
    expect(decodeKey(text)).toBeNull();
  });
});
