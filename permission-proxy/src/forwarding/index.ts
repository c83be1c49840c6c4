export {
  createForwarder,
  defaultConnectTimeoutMs,
  defaultMaxSockets,
  defaultTimeoutMs,
} from './create-forwarder.js';
export type { ForwarderOptions } from './create-forwarder.js';
