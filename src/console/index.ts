export {
  type ConsoleOptions,
  type ConsolePerson,
  type SlackConsole,
  startConsole,
} from './console.ts';
export { BREAKAGES, type Breakage, type GatewayCounts, GatewayPanel } from './gateway.ts';
