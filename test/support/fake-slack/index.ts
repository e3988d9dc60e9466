export { type FakeSlack, type FakeSlackOptions, startFakeSlack } from './server.ts';
export type {
  FakeEphemeral,
  FakeFile,
  FakeMessage,
  FakeUser,
  MessageContent,
  RecordedCall,
  ResponseUrlPost,
} from './state.ts';
