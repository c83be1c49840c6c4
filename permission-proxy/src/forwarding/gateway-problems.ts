import {
  BadGatewayError,
  GatewayTimeoutError,
  problemTypeUri,
  type AppError,
  type ProblemDocument,
} from '@repopulse/core';

// The forwarder answers these itself rather than throwing them: it owns the response stream and must
// settle with what it sent. Core's error kinds still decide type, title and status, as everywhere else.
// The detail names the service, never its address: internal host names and ports tell an outsider how
// the platform is laid out. The address goes to the log instead.

function problemOf(error: AppError, instance: string): ProblemDocument {
  return {
    type: problemTypeUri(error.kind),
    title: error.title,
    status: error.status,
    detail: error.message,
    instance,
  };
}

export function badGatewayProblem(service: string, instance: string): ProblemDocument {
  return problemOf(new BadGatewayError(`The ${service} cannot be reached`), instance);
}

export function gatewayTimeoutProblem(service: string, timeoutMs: number, instance: string): ProblemDocument {
  const limit = timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
  return problemOf(new GatewayTimeoutError(`The ${service} did not answer within ${limit}`), instance);
}
