// The Slack stand-in lives in the product (src/console/slack), where the local console is built on it.
export {
  type Delivery,
  type Envelope,
  type FakeEphemeral,
  type FakeFile,
  type FakeMessage,
  type FakeSlack,
  type FakeSlackOptions,
  type FakeSocketMode,
  type FakeUser,
  type MessageContent,
  type RecordedCall,
  type ResponseUrlPost,
  type SocketAck,
  startFakeSlack,
} from '../../../src/console/slack/index.ts';
