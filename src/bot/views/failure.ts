/**
 * Turns a recorded failure reason into words an on-call engineer can act on: what went wrong, then
 * what to check. The reason is shown too (it names the detail), with any credentials in URLs removed.
 */

interface Hint {
  test: RegExp;
  advice: string;
}

const HINTS: readonly Hint[] = [
  {
    test: /gateway down|cannot reach|connection refused|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|socket hang up|timeout|unreachable|network/i,
    advice:
      "snapgate could not reach this gateway's Kong Admin API. Check that Kong is up and that `kongUrl` in snapgate.yml points at its Admin API, then run the command again.",
  },
  {
    test: /wrong token|\b401\b|\b403\b|unauthori[sz]ed|forbidden|invalid (admin )?token/i,
    advice:
      'Kong refused the admin token. Check the token named by `tokenEnv`/`tokenFile` for this connection (and its workspace), then run the command again.',
  },
  {
    test: /storage not writable|EACCES|EPERM|ENOSPC|EROFS|not writable|no space/i,
    advice:
      'The backup could not be written to storage. Check that the storage directories in snapgate.yml exist, are writable and have free space.',
  },
  {
    test: /\bkey\b.*(missing|unknown|not found|no key)|decrypt/i,
    advice:
      'A key in the key ring is missing or wrong. Check `keys` in snapgate.yml and the environment variables or files they name.',
  },
  {
    test: /gateway error|\b5\d\d\b|internal server error|bad gateway|service unavailable/i,
    advice:
      'Kong answered with a server error. Check the gateway and its database, then run the command again.',
  },
];

/** Strips `user:password@` from URLs and long token-looking strings, in case a reason quotes one. */
export function scrubReason(reason: string): string {
  return reason
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, '$1')
    .replace(/\b(xox[abposr]-|xapp-)[A-Za-z0-9-]+/g, '$1…');
}

export function explainFailure(reason: string | null): { advice: string; reason: string } {
  const text = scrubReason(reason ?? 'no reason was recorded');
  const hint = HINTS.find((h) => h.test.test(text));
  return {
    advice: hint?.advice ?? 'Read the reason below; if it is not clear, the worker log has the details.',
    reason: text,
  };
}
