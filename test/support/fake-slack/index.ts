export { type FakeSlack, type FakeSlackOptions, startFakeSlack } from './server.ts';
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
