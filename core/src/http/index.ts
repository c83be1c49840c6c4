export { createServiceApp } from './create-service-app.js';
export type { ServiceAppOptions } from './create-service-app.js';
export { httpMetrics } from './http-metrics.js';
export { startHttpServer } from './http-server.js';
export type { RunningServer } from './http-server.js';
export { jsonBody } from './json-body.js';
export { operationsRoutes } from './operations-routes.js';
export type { ReadinessCheck } from './operations-routes.js';
export {
  notFoundHandler,
  problemContentType,
  problemErrorHandler,
  problemTypeUri,
  sendProblem,
} from './problem-details.js';
export type { ProblemDocument } from './problem-details.js';
export { requestId } from './request-id.js';
export { contentSecurityPolicies, securityHeaders } from './security-headers.js';
export type { ContentKind } from './security-headers.js';
