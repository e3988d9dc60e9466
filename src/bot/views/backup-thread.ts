/** Thread replies under a backup card: phase changes, the final result, or the failure and what to do. */
import type { Backup } from '../../app/ports/records.ts';
import { catalogueOfCounts, isEntityKind, isKongKind, KIND_NOUN } from '../../core/index.ts';
import {
  type Block,
  context,
  escapeMrkdwn,
  fieldsSection,
  joinLinesWithin,
  LIMITS,
  section,
} from '../blocks/index.ts';
import { explainFailure } from './failure.ts';
import { code, formatBytes, formatDuration, plural, shortSha, totalEntities } from './format.ts';
import type { SlackMessage } from './message.ts';

export function phaseMessage(phase: string, message?: string): SlackMessage {
  const text = message ? `${phase}: ${message}` : phase;
  return {
    text,
    blocks: [context([`:gear: *${escapeMrkdwn(phase)}*${message ? ` — ${escapeMrkdwn(message)}` : ''}`])],
  };
}

/**
 * Kinds read as plural nouns in counts: `keyauth_credentials` → `keyauth credentials`; other gateways'
 * kinds by their own noun (`restapis` → `REST APIs`, `domain_names` → `custom domain names`).
 */
function kindLabel(kind: string): string {
  if (isEntityKind(kind) && !isKongKind(kind)) return `${KIND_NOUN[kind]}s`;
  return kind.replace(/_/g, ' ');
}

/** Counts per kind, largest first: "services 120 · routes 340 …". */
export function countLines(counts: Record<string, number> | null): string[] {
  if (!counts) return [];
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([kind, n]) => `• ${escapeMrkdwn(kindLabel(kind))}: ${n.toLocaleString('en-US')}`);
}

export function resultMessage(backup: Backup): SlackMessage {
  const total = totalEntities(backup.counts);
  const took =
    backup.startedAt && backup.finishedAt
      ? formatDuration(backup.finishedAt.getTime() - backup.startedAt.getTime())
      : '—';
  const headline = `:white_check_mark: Backup ${code(backup.id)} completed: ${plural(total, 'entity', 'entities')}.`;
  const fields = [
    `*Artifact*\n${backup.artifactName ? code(backup.artifactName) : '—'}`,
    `*Size*\n${formatBytes(backup.bytes)}`,
    `*Took*\n${took}`,
    `*SHA-256*\n${code(shortSha(backup.sha256))}`,
  ];
  // the gateway's own name: `Kong 3.9.1`, `AWS API Gateway apigateway 2015-07-09`
  if (backup.kongVersion)
    fields.push(`*${catalogueOfCounts(backup.counts).title}*\n${escapeMrkdwn(backup.kongVersion)}`);
  const lines = countLines(backup.counts);
  const blocks: Block[] = [section(headline), fieldsSection(fields)];
  if (lines.length) blocks.push(section(joinLinesWithin(lines, LIMITS.sectionText)));
  if (backup.unchangedFrom) {
    blocks.push(
      context([`Nothing changed since backup ${code(backup.unchangedFrom)}; both share one artifact.`]),
    );
  }
  return { text: `Backup ${backup.id} completed: ${total} entities`, blocks };
}

export function failureMessage(backup: Backup): SlackMessage {
  const { advice, reason } = explainFailure({ code: backup.failureCode, reason: backup.failureReason });
  return {
    text: `Backup ${backup.id} failed: ${reason}`,
    blocks: [
      section(`:x: Backup ${code(backup.id)} of ${code(backup.connection)} failed.\n${advice}`),
      section(`*Reason*\n\`\`\`${reason.replace(/```/g, "'''")}\`\`\``),
    ],
  };
}
