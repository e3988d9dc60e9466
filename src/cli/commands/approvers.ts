/**
 * `snapgate approvers credential --user U… --output FILE`: a new approver credential (32 random bytes) in
 * FILE, readable by its owner only, and the `approvers:` entry that goes into snapgate.yml (its SHA-256,
 * never the credential). The approver keeps FILE; `snapgate approve --as U… --credential-file FILE`
 * proves who approves. Needs no config.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { credentialSha256 } from '../../app/index.ts';
import { CliError } from '../errors.ts';

export function registerApprovers(program: Command): void {
  const approvers = program.command('approvers').description('break-glass approvers on the CLI');
  approvers
    .command('credential')
    .description("make an approver's credential file and print its snapgate.yml entry")
    .requiredOption('--user <id>', "the approver's Slack user id (U… or W…), as in roles")
    .requiredOption('-o, --output <file>', 'where to write the credential (mode 600; never overwritten)')
    .option('--cli-user <login>', "the approver's login on the snapgate hosts (their own CLI requests)")
    .action(async (flags: { user: string; output: string; cliUser?: string }) => {
      if (!/^[UW][A-Z0-9]{2,}$/.test(flags.user))
        throw new CliError(`--user must be a Slack user id (U… or W…), not "${flags.user}"`);
      const credential = randomBytes(32).toString('base64url');
      try {
        await writeFile(flags.output, `${credential}\n`, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new CliError(
          code === 'EEXIST'
            ? `${flags.output} exists; choose another file (a credential is never overwritten)`
            : `cannot write ${flags.output} (${code ?? (err as Error).message})`,
        );
      }
      process.stdout.write(
        `wrote a new approver credential for ${flags.user} to ${flags.output} (mode 600): give it to them only.\n` +
          'Add to snapgate.yml:\napprovers:\n' +
          `  - user: ${flags.user}\n` +
          (flags.cliUser ? `    cliUser: ${flags.cliUser}\n` : '') +
          `    credentialSha256: ${credentialSha256(credential)}\n`,
      );
    });
}
