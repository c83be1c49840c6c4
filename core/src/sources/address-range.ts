import ipaddr from 'ipaddr.js';

/**
 * A host as it is compared and resolved: lower case, one trailing dot dropped (`github.com.` is
 * `github.com`), an address in its one canonical spelling (ipaddr.js reads `0x7f.1`, `127.1`, `2130706433`
 * and `::ffff:7f00:1` as the addresses they are, as the system resolver would). Empty when it is no host
 * name at all: characters outside letters, digits, dots, dashes and underscores (percent-escapes
 * included, which git and curl might decode differently), or a leading dash (an option to ssh).
 */
export function canonicalHost(host: string): string {
  const lowered = host.toLowerCase().replace(/\.$/, '');
  if (lowered.includes(':')) return ipaddr.IPv6.isValid(lowered) ? ipaddr.IPv6.parse(lowered).toString() : '';
  if (!/^[a-z0-9_][a-z0-9._-]*$/.test(lowered) || lowered.length > 253) return '';
  return ipaddr.IPv4.isValid(lowered) ? ipaddr.IPv4.parse(lowered).toString() : lowered;
}

/** True when the (canonical) host is an address rather than a name. */
export function isAddressLiteral(host: string): boolean {
  return ipaddr.isValid(host);
}

/**
 * What kind of address this is, as ipaddr.js names its special ranges: `unicast` for a public address,
 * else `loopback`, `private`, `linkLocal`, `carrierGradeNat`, `uniqueLocal`, `multicast`, `unspecified`,
 * `reserved`, `6to4`, `teredo`, `rfc6052` (NAT64) and so on. An IPv4-mapped IPv6 address is the IPv4
 * address it maps. Anything but `unicast` is not public: the tunnelling and translation ranges embed
 * IPv4 addresses that may well be private, and the reserved ones have no business hosting a forge.
 */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range();
}

/** Names that resolve to this machine whatever DNS says (RFC 6761). */
export function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** How a non-public range reads in a refusal. */
export function rangeInWords(range: string): string {
  const words: Record<string, string> = {
    loopback: 'a loopback address',
    private: 'a private address',
    linkLocal: 'a link-local address',
    carrierGradeNat: 'a carrier-grade NAT address',
    uniqueLocal: 'a unique-local address',
    multicast: 'a multicast address',
    unspecified: 'the unspecified address',
    broadcast: 'the broadcast address',
    reserved: 'a reserved address',
    invalid: 'no valid address',
  };
  return words[range] ?? `a special-purpose address (${range})`;
}
