/**
 * Edits status cards in place without editing one card more than once per `intervalMs` (default 3 s).
 * Only the newest content of a card is kept while it waits, so a burst of status changes becomes one
 * edit showing the latest state, and the final state is always delivered: a waiting update is flushed
 * when its time comes, and `flush()` sends everything at once on shutdown. An update may carry a rank
 * (card-order.ts): one ranked below what this process or, with `useOrder`, any process already showed on
 * the card is dropped, so a card never goes back to an older status.
 */
import type { webApi } from '@slack/bolt';
import type { SlackMessageRef } from '../../app/ports/records.ts';
import type { SlackMessage } from '../views/message.ts';
import type { CardOrder } from './card-order.ts';
import type { SlackOutbox } from './outbox.ts';

export type CardContent = SlackMessage;

export interface CardUpdaterOptions {
  outbox: SlackOutbox;
  intervalMs?: number;
  now?: () => number;
  onError?: (ref: SlackMessageRef, err: unknown) => void;
}

interface CardState {
  lastEditAt: number;
  pending: CardContent | null;
  pendingRank: number | undefined;
  /** the highest rank this process queued for the card */
  highest: number;
  timer: NodeJS.Timeout | null;
  sending: Promise<void> | null;
  /** the pending content is the card's final state: sent as soon as nothing is in flight */
  finalPending: boolean;
}

export const DEFAULT_CARD_INTERVAL_MS = 3000;

export class CardUpdater {
  private readonly cards = new Map<string, CardState>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private order: CardOrder | null = null;

  constructor(private readonly options: CardUpdaterOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_CARD_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /** A card was just posted: its first edit waits a full interval like any other. */
  posted(ref: SlackMessageRef): void {
    this.state(ref).lastEditAt = this.now();
  }

  /** Every instance's edits of one card go forward only (the shared order, once the process has Redis). */
  useOrder(order: CardOrder): void {
    this.order = order;
  }

  /**
   * Shows `content` on the card, now or when the interval allows; newer content replaces waiting content.
   * With a `rank`, content ranked below what the card already showed is dropped.
   */
  update(ref: SlackMessageRef, content: CardContent, rank?: number, options: { final?: boolean } = {}): void {
    const card = this.state(ref);
    if (rank !== undefined) {
      if (rank < card.highest) return;
      card.highest = rank;
    }
    card.pending = content;
    card.pendingRank = rank;
    // A card's final state does not wait out the interval (one early edit per card at most): held back, it
    // would die with a process killed meanwhile and the card would show an old status for good.
    if (options.final) card.finalPending = true;
    this.schedule(ref, card);
  }

  /** Sends every waiting edit now, ignoring the interval, and waits for them. */
  async flush(): Promise<void> {
    const sends: Promise<void>[] = [];
    for (const [key, card] of this.cards) {
      if (card.timer) clearTimeout(card.timer);
      card.timer = null;
      if (card.sending) sends.push(card.sending);
      if (card.pending) sends.push(this.send(refOf(key), card));
    }
    await Promise.all(sends);
  }

  /** True while any card has an edit waiting or in flight. */
  busy(): boolean {
    for (const card of this.cards.values()) if (card.pending || card.sending || card.timer) return true;
    return false;
  }

  private state(ref: SlackMessageRef): CardState {
    const key = `${ref.channel}/${ref.ts}`;
    let card = this.cards.get(key);
    if (!card) {
      this.forgetIdleCards();
      card = {
        lastEditAt: 0,
        pending: null,
        pendingRank: undefined,
        highest: Number.NEGATIVE_INFINITY,
        timer: null,
        sending: null,
        finalPending: false,
      };
      this.cards.set(key, card);
    }
    return card;
  }

  /** Cards with nothing waiting and no edit within the interval need no memory of their last edit. */
  private forgetIdleCards(): void {
    const now = this.now();
    for (const [key, c] of this.cards) {
      if (!c.pending && !c.sending && !c.timer && now - c.lastEditAt >= this.intervalMs)
        this.cards.delete(key);
    }
  }

  private schedule(ref: SlackMessageRef, card: CardState): void {
    if (card.sending) return; // the pending content is picked up when it finishes
    if (card.timer) {
      if (!card.finalPending) return; // the pending content goes when the timer fires
      clearTimeout(card.timer);
      card.timer = null;
    }
    const wait = card.finalPending ? 0 : card.lastEditAt + this.intervalMs - this.now();
    if (wait <= 0) {
      void this.send(ref, card);
      return;
    }
    card.timer = setTimeout(() => {
      card.timer = null;
      void this.send(ref, card);
    }, wait);
  }

  private send(ref: SlackMessageRef, card: CardState): Promise<void> {
    const content = card.pending;
    const rank = card.pendingRank;
    if (!content) return Promise.resolve();
    card.pending = null;
    card.finalPending = false;
    card.lastEditAt = this.now();
    const order = this.order;
    // asked right before the call, after this channel's queue: an edit that waited behind other calls
    // is still compared with what any instance showed meanwhile
    const sending = this.options.outbox
      .run(ref.channel, async (client) => {
        if (rank !== undefined && order && !(await order.admit(ref, rank).catch(() => true))) return;
        await client.chat.update({
          channel: ref.channel,
          ts: ref.ts,
          ...content,
        } as webApi.ChatUpdateArguments);
      })
      .then(
        () => undefined,
        (err: unknown) => this.options.onError?.(ref, err),
      )
      .finally(() => {
        card.sending = null;
        if (card.pending) this.schedule(ref, card);
      });
    card.sending = sending;
    return sending;
  }
}

function refOf(key: string): SlackMessageRef {
  const slash = key.indexOf('/');
  return { channel: key.slice(0, slash), ts: key.slice(slash + 1) };
}
