export * from './requests.ts';
export { type FakeSlack, type FakeSlackOptions, type ResponseContext, startFakeSlack } from './server.ts';
export type { Delivery, Envelope, FakeSocketMode, SocketAck } from './socket.ts';
export type {
  FakeEphemeral,
  FakeFile,
  FakeMessage,
  FakeUser,
  MessageContent,
  RecordedCall,
  ResponseUrlPost,
} from './state.ts';
export type { WorkspaceEvent } from './workspace.ts';
