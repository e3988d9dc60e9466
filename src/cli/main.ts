/**
 * The `snapgate` command line. Each verb lives in `commands/<verb>.ts` and registers itself here.
 * Errors a user can act on are printed as one line on stderr with exit code 1.
 */
import { Command } from 'commander';
import { registerCommands } from './commands/index.ts';
import { CliError } from './errors.ts';

const program = new Command('snapgate')
  .description('Back up, diff and restore Kong API gateway configuration')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CliError) {
    process.stderr.write(`snapgate: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  throw err;
}
