/** `--help` says what each service verb really does. */
import { expect, it } from 'vitest';
import { cliInProcess } from '../../support/snapgate-cli.ts';

it('worker --help names every worker it runs, restores included', async () => {
  const help = await cliInProcess(['worker', '--help']);
  expect(help.out).toContain('run the backup, restore (plan, run, expiry), verify and prune workers');
});

it('restore and approve --help document --include-pre-restore, TZ for --at and --plan', async () => {
  const restore = (await cliInProcess(['restore', '--help'])).out.replace(/\s+/g, ' ');
  expect(restore).toContain('--include-pre-restore');
  expect(restore).toContain('no zone: read in TZ; a bare date: midnight in TZ');
  const approve = (await cliInProcess(['approve', '--help'])).out.replace(/\s+/g, ' ');
  expect(approve).toContain('--plan <hash> the plan hash you reviewed');
  const restores = (await cliInProcess(['restores', '--help'])).out;
  expect(restores).toMatch(/show \[options\] <request-id>/);
  expect(restores).toMatch(/undo \[options\] <request-id>/);
});
