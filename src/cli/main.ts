/**
 * The `snapgate` command line. Each verb lives in `commands/<verb>.ts` and registers itself here.
 * Errors a user can act on are printed as one line on stderr with exit code 1.
 */
import { Command } from 'commander';
import { keepRunningWhenOutputCloses, outputCutNotice } from './closed-output.ts';
import { registerCommands } from './commands/index.ts';
import { CliError } from './errors.ts';

// a closed stdout (`| head`) stops the printing, never the command (closed-output.ts)
const output = keepRunningWhenOutputCloses();
const noteCutOutput = () => {
  const notice = outputCutNotice(output);
  if (notice) process.stderr.write(notice);
};

const program = new Command('snapgate')
  .description('Back up, diff and restore Kong API gateway configuration')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

registerCommands(program);

try {
  await program.parseAsync(process.argv);
  noteCutOutput();
} catch (err) {
  noteCutOutput();
  if (err instanceof CliError) {
    process.stderr.write(`snapgate: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  throw err;
}
