/**
 * Who approves a restore must be proven, not typed. In Slack the proof is Slack's signed request naming
 * the user. On the CLI (break-glass, e.g. while Slack is down) `--as U…` alone proved nothing: whoever ran
 * `restore` could approve it in someone else's name. So the approver shows their own credential
 * (`approvers[]` in snapgate.yml holds its SHA-256); the audit records which proof was used, and the
 * identities the credential ties together (the Slack id and the login `cliUser`) all count as the
 * approver when the rule "never the requester" is checked.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config/types.ts';
import type { ApproverProof } from './types.ts';

export interface ProvenApprover {
  proof: ApproverProof;
  /** other identities of the same person (`cli:<login>`), each refused as the requester */
  sameAs: string[];
}

export function credentialSha256(credential: string): string {
  return createHash('sha256').update(credential.trim(), 'utf8').digest('hex');
}

/** The CLI approver's proof: their credential checked against `approvers[]`; `unproven` says why not. */
export function proveApprover(
  config: Pick<Config, 'approvers'>,
  user: string,
  credential: string | null,
): ProvenApprover {
  const entry = (config.approvers ?? []).find((a) => a.user === user);
  if (!entry) {
    return {
      proof: {
        method: 'unproven',
        problem: `${user} has no approver credential in snapgate.yml (approvers:); approving on the CLI needs one — snapgate approvers credential --user ${user} makes it`,
      },
      sameAs: [],
    };
  }
  const sameAs = entry.cliUser ? [`cli:${entry.cliUser}`] : [];
  if (credential === null || credential.trim() === '') {
    return {
      proof: {
        method: 'unproven',
        problem: `prove you are ${user}: pass your approver credential with --credential-file FILE or --credential-env VAR`,
      },
      sameAs,
    };
  }
  const given = Buffer.from(credentialSha256(credential), 'hex');
  const want = Buffer.from(entry.credentialSha256, 'hex');
  if (!timingSafeEqual(given, want)) {
    return {
      proof: { method: 'unproven', problem: `the credential given is not ${user}'s approver credential` },
      sameAs,
    };
  }
  return {
    proof: { method: 'approver-credential', fingerprint: `sha256:${entry.credentialSha256.slice(0, 12)}` },
    sameAs,
  };
}
