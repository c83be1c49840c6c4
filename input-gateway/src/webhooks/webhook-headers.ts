import { BadRequestError } from '@repopulse/core';
import type { Request } from 'express';

export interface DeliveryHeaders {
  event: string;
  deliveryId: string;
  signature: string | undefined;
}

// GitHub's event names are snake_case words; its delivery ids are GUIDs. The id becomes the AMQP
// messageId and the engine's inbox key, so it is held to a safe alphabet rather than to GUIDs only.
const eventName = /^[a-z][a-z_]{0,63}$/;
const deliveryIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Reads and checks the delivery headers; the signature is checked later, against the body. */
export function readDeliveryHeaders(request: Request): DeliveryHeaders {
  const event = request.get('x-github-event')?.trim();
  const deliveryId = request.get('x-github-delivery')?.trim();
  if (!event) throw new BadRequestError('The X-GitHub-Event header is missing');
  if (!eventName.test(event)) throw new BadRequestError('The X-GitHub-Event header is not an event name');
  if (!deliveryId) throw new BadRequestError('The X-GitHub-Delivery header is missing');
  if (!deliveryIdPattern.test(deliveryId))
    throw new BadRequestError('The X-GitHub-Delivery header is not a delivery id');
  return { event, deliveryId, signature: request.get('x-hub-signature-256') };
}
