/**
 * Loopback and private-network addresses (IPv4, IPv6 unique-local, and IPv4 mapped into IPv6): where
 * Prometheus and the platform's own modules call from. Judged on a socket's address, never on a header.
 */
const internalAddress =
  /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|::ffff:127\.|::ffff:10\.|::ffff:192\.168\.|::ffff:172\.(1[6-9]|2\d|3[01])\.|f[cd])/i;

export function isInternalAddress(address: string | undefined): boolean {
  return internalAddress.test(address ?? '');
}
