/** `snapgate worker`'s flags refuse bad values with a clear message before anything starts. */
import { expect, it } from 'vitest';
import { cliInProcess } from '../../support/snapgate-cli.ts';

it.each([
  ['0', '--stalled-after takes seconds from 1 to 3600, not "0"'],
  ['soon', '--stalled-after takes seconds from 1 to 3600, not "soon"'],
  ['7200', '--stalled-after takes seconds from 1 to 3600, not "7200"'],
])('--stalled-after %s is refused', async (value, message) => {
  const run = await cliInProcess([
    'worker',
    '--config',
    '/nonexistent/snapgate.yml',
    '--stalled-after',
    value,
  ]);
  expect(run.code).not.toBe(0);
  expect(run.err).toContain(message);
});
