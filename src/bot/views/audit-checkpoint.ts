/**
 * The audit channel's post for a signed checkpoint: a line for people and the checkpoint's JSON in a code
 * block, exactly as published (save it and run `snapgate audit verify --checkpoint <file>`). A refused
 * checkpoint (the chain no longer extends the last one) is an alarm in red.
 */
import { type CheckpointEvent, serializeCheckpoint } from '../../audit/index.ts';
import { context, escapeMrkdwn, section } from '../blocks/index.ts';
import { colouredCard, type SlackMessage } from './message.ts';

const BLUE = '#1d9bd1';
const RED = '#e01e5a';

export function checkpointMessage(event: CheckpointEvent): SlackMessage {
  if (event.kind === 'refused') {
    return colouredCard(`Audit checkpoint refused: ${event.message}`, RED, [
      section(
        `:rotating_light: *Audit checkpoint refused* (${event.reason}): ${escapeMrkdwn(event.message)}`,
      ),
      context(['Someone may have cut or rewritten the audit log. Run `snapgate audit verify --from-store`.']),
    ]);
  }
  const c = event.checkpoint;
  return colouredCard(`Audit checkpoint #${c.seq} (${c.count} events) signed ${c.time}`, BLUE, [
    section(
      `:lock: *Audit checkpoint* #${c.seq}: ${c.count} events, signed ${c.time} by \`${c.keyId}\` (${event.reason})`,
    ),
    section(`\`\`\`${serializeCheckpoint(c).trimEnd()}\`\`\``),
    context([
      'Save the JSON and run `snapgate audit verify --checkpoint <file>` to check the log against it.',
    ]),
  ]);
}
