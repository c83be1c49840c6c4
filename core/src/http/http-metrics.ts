import type { RequestHandler } from 'express';
import { Histogram, type Registry } from 'prom-client';

/** Counts and times every request by method, route and status; the route pattern keeps labels few. */
export function httpMetrics(registry: Registry): RequestHandler {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return (request, response, next) => {
    const end = duration.startTimer();
    response.on('finish', () => {
      const route = request.route?.path ? `${request.baseUrl}${String(request.route.path)}` : 'unmatched';
      end({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  };
}
