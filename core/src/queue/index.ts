export { BrokerConnection } from './broker-connection.js';
export type {
  BrokerOptions,
  DeliveryHandler,
  MessagePublisher,
  PublishOptions,
  QueueConsumer,
} from './broker-connection.js';
export { createEnvelope, encodeEnvelope, InvalidEnvelopeError, parseEnvelope } from './envelope.js';
export type { Envelope, EnvelopeOptions } from './envelope.js';
export { createOutboxRelay, writeToOutbox } from './outbox.js';
export type { OutboxMessage, OutboxRelay } from './outbox.js';
export { createQueueWorker, DeferMessage, deferralTier } from './queue-worker.js';
export type {
  FollowUp,
  HandlerContext,
  MessageHandler,
  QueueWorker,
  QueueWorkerOptions,
} from './queue-worker.js';
export { declareTopology, deleteTopology, topologyNames, workQueues } from './topology.js';
export type { TopologyNames, TopologyOptions, WorkQueue } from './topology.js';
