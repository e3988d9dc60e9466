export {
  actions,
  type Block,
  type ButtonElement,
  type ButtonOptions,
  button,
  type ConfirmDialog,
  type ConfirmOptions,
  confirmDialog,
  context,
  divider,
  fieldsSection,
  header,
  mrkdwn,
  plainText,
  type SectionOptions,
  section,
} from './builders.ts';
export { type FitOptions, fitBlocks } from './fit.ts';
export { LIMITS } from './limits.ts';
export { ELLIPSIS, escapeMrkdwn, joinLinesWithin, truncate } from './text.ts';
export { blockTextLength, type MessageProblem, type ProblemCode, validateMessage } from './validate.ts';
