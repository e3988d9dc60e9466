/** Small, pure formatters shared by the views: sizes, durations, dates Slack localises, short hashes. */
import { formatDuration, sumCounts } from '../../core/index.ts';
import { escapeMrkdwn } from '../blocks/index.ts';

export { formatDuration };

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${bytes} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** "3 h ago" style age, from an injected `now`. */
export function formatAge(then: Date, now: Date): string {
  const ms = now.getTime() - then.getTime();
  if (ms < 60_000) return 'just now';
  return `${formatDuration(ms).replace(/ \d+ s$/, '')} ago`;
}

/** A date Slack shows in the reader's own time zone, with a UTC fallback for clients that cannot. */
export function slackDate(d: Date): string {
  const epoch = Math.floor(d.getTime() / 1000);
  const fallback = `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${epoch}^{date_short_pretty} {time}|${fallback}>`;
}

export function shortSha(sha: string | null): string {
  return sha ? sha.slice(0, 12) : '—';
}

export function userMention(id: string): string {
  return /^[UW][A-Z0-9]+$/.test(id) ? `<@${id}>` : `\`${escapeMrkdwn(id)}\``;
}

export function code(text: string): string {
  return `\`${escapeMrkdwn(text.replace(/`/g, "'"))}\``;
}

export const totalEntities = sumCounts;

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
