/**
 * A reader that goes away (`snapgate backups list | head -3`, `snapgate apply … --yes | head`) makes the
 * next write to stdout fail with EPIPE. Node reports that as an `error` event, and with no listener the
 * process died there with a stack trace — in the middle of an apply, after a few of its writes.
 *
 * `keepRunningWhenOutputCloses` listens on stdout and stderr: after the first write error the stream
 * prints nothing more (writes become no-ops) and the command runs to its end — an apply finishes its
 * writes and its re-diff, so the gateway is never left half-restored by a closed pipe — and its exit
 * code still says how it went (0 only when it succeeded). The CLI says once, on stderr if that is still
 * open, that the output was cut.
 */
export interface OutputGuard {
  /** the first write error on stdout (EPIPE when the reader went away), or null */
  readonly stdoutError: NodeJS.ErrnoException | null;
}

function guard(stream: NodeJS.WriteStream, onError: (err: NodeJS.ErrnoException) => void): void {
  let failed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (failed) return;
    failed = true;
    // nothing can reach the reader any more: drop every later write instead of failing each one
    stream.write = ((_chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
      const cb = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      if (typeof cb === 'function') process.nextTick(cb as () => void);
      return true;
    }) as typeof stream.write;
    onError(err);
  });
}

export function keepRunningWhenOutputCloses(
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
): OutputGuard {
  const state: { stdoutError: NodeJS.ErrnoException | null } = { stdoutError: null };
  guard(stdout, (err) => {
    state.stdoutError = err;
  });
  guard(stderr, () => undefined);
  return state;
}

/** The one line that says the output was cut (stderr), or null when stdout stayed open. */
export function outputCutNotice(guard: OutputGuard): string | null {
  const err = guard.stdoutError;
  if (!err) return null;
  const why = err.code === 'EPIPE' ? 'the reader closed the pipe' : (err.code ?? err.message);
  return `snapgate: output stopped early (${why}); the command ran to the end and its exit code is its result\n`;
}
