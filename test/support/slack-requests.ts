// Signed Slack requests are sent by the console too; one implementation in src/console/slack.
export * from '../../src/console/slack/requests.ts';
