/**
 * The `snapgate` command line. Each verb lives in `commands/<verb>.ts` and registers itself here.
 * Errors a user can act on are printed as one line on stderr with exit code 1.
 */
import { Command } from 'commander';
import { keepRunningWhenOutputCloses, outputCutNotice } from './closed-output.ts';
import { registerCommands } from './commands/index.ts';
import { CliError } from './errors.ts';

// The AWS SDK warns on every process under Node 22 that its releases after January 2027 will need Node 22:
// nine lines on stderr of every command that reaches an AWS connection or S3 target, which the person
// running it cannot act on (Node 20 is snapgate's runtime; the SDK version is pinned by the lockfile).
// Someone who wants the warning sets the variable to anything else.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// a closed stdout (`| head`) stops the printing, never the command (closed-output.ts)
const output = keepRunningWhenOutputCloses();
const noteCutOutput = () => {
  const notice = outputCutNotice(output);
  if (notice) process.stderr.write(notice);
};

const program = new Command('snapgate')
  .description('Back up, diff and restore API gateway configuration (Kong, AWS API Gateway)')
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
