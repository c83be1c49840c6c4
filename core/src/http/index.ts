export { createServiceApp } from './create-service-app.js';
export type { ServiceAppOptions } from './create-service-app.js';
export { httpMetrics } from './http-metrics.js';
export { startHttpServer } from './http-server.js';
export type { ClientTimeouts, RunningServer } from './http-server.js';
export { jsonBody } from './json-body.js';
export { isDirectInternalRequest, operationsRoutes } from './operations-routes.js';
export { createRouter } from './create-router.js';
export { isInternalAddress } from './internal-address.js';
export { requireForwardedIdentity } from './require-forwarded-identity.js';
export type { ForwardedIdentityOptions } from './require-forwarded-identity.js';
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
