/**
 * Slack's Block Kit and message limits, in characters. Sources (see
 * /work/shared/research/slack-bolt-bullmq.md §1.4): docs.slack.dev block reference pages and the
 * limits python-slack-sdk enforces (slack_sdk/models/blocks/blocks.py, block_elements.py,
 * basic_components.py). Lengths are JavaScript string lengths (UTF-16 code units): never fewer than
 * the code points Slack counts, so staying under them keeps us under Slack's.
 */
export const LIMITS = Object.freeze({
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  /** A text object anywhere else (context elements included) */
  textObject: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  blockId: 255,
  actionId: 255,
  imageAltText: 2000,
  markdownBlockText: 12_000,
  /**
   * Undocumented cumulative cap: Slack answers `msg_blocks_too_long` at roughly 12-13k characters of
   * text across a message's blocks (slackapi/bolt-js issues #2509, #2867). We stay under 12k.
   */
  messageBlockText: 12_000,
  /** Slack truncates a message's top-level `text` above 40,000 characters. */
  messageText: 40_000,
});
