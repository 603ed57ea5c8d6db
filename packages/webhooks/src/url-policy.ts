/**
 * Which endpoint URLs may be called — one rule for registration and for delivery. Addresses are
 * checked again when the connection is made (`policyLookup`, for undici's `connect.lookup` or
 * node:http's `lookup`), so a name that resolves to a public address at registration and to
 * 127.0.0.1 later (DNS rebinding) is still refused.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

export interface UrlPolicy {
  /** Allow http:// (development, internal services). */
  allowHttp: boolean;
  /** Allow private, loopback, link-local, CGNAT addresses (internal services). */
  allowPrivate: boolean;
}

export class EndpointUrlError extends Error {
  override readonly name = "EndpointUrlError";
}

// Never reachable as a webhook receiver, whatever the deployment allows.
const ALWAYS_REFUSED = new BlockList();
ALWAYS_REFUSED.addSubnet("0.0.0.0", 8, "ipv4");
ALWAYS_REFUSED.addSubnet("224.0.0.0", 4, "ipv4"); // multicast
ALWAYS_REFUSED.addSubnet("240.0.0.0", 4, "ipv4"); // reserved, broadcast
ALWAYS_REFUSED.addAddress("169.254.169.254", "ipv4"); // cloud metadata
ALWAYS_REFUSED.addAddress("fd00:ec2::254", "ipv6"); // AWS metadata over IPv6
ALWAYS_REFUSED.addAddress("::", "ipv6");
ALWAYS_REFUSED.addSubnet("ff00::", 8, "ipv6"); // multicast

// Refused unless the deployment allows private addresses.
const PRIVATE = new BlockList();
PRIVATE.addSubnet("10.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("172.16.0.0", 12, "ipv4");
PRIVATE.addSubnet("192.168.0.0", 16, "ipv4");
PRIVATE.addSubnet("127.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("169.254.0.0", 16, "ipv4"); // link-local
PRIVATE.addSubnet("100.64.0.0", 10, "ipv4"); // CGNAT
PRIVATE.addSubnet("192.0.0.0", 24, "ipv4");
PRIVATE.addSubnet("198.18.0.0", 15, "ipv4");
PRIVATE.addAddress("::1", "ipv6");
PRIVATE.addSubnet("fc00::", 7, "ipv6"); // unique local
PRIVATE.addSubnet("fe80::", 10, "ipv6"); // link-local

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
function normalise(address: string): { address: string; family: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return { address: mapped[1], family: "ipv4" };
  return { address, family: isIP(address) === 6 ? "ipv6" : "ipv4" };
}

/** Why `address` may not be connected to, or null when it may. */
export function refusedAddressReason(address: string, policy: UrlPolicy): string | null {
  const { address: a, family } = normalise(address);
  if (isIP(a) === 0) return "not an IP address";
  if (ALWAYS_REFUSED.check(a, family)) return `address ${address} is never allowed`;
  if (!policy.allowPrivate && PRIVATE.check(a, family))
    return `address ${address} is private or loopback (not allowed by this deployment)`;
  return null;
}

/** Checks the URL itself (scheme, credentials, literal addresses). Throws EndpointUrlError. */
export function checkEndpointUrl(raw: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointUrlError("not a valid URL");
  }
  if (url.protocol !== "https:" && !(policy.allowHttp && url.protocol === "http:"))
    throw new EndpointUrlError(policy.allowHttp ? "use http or https" : "use https");
  if (url.username || url.password) throw new EndpointUrlError("no credentials in the URL");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0) {
    const reason = refusedAddressReason(host, policy);
    if (reason) throw new EndpointUrlError(reason);
  } else if (!policy.allowPrivate && (host === "localhost" || host.endsWith(".localhost"))) {
    throw new EndpointUrlError("localhost is not allowed by this deployment");
  }
  return url;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for the socket: resolves like the system does, then refuses the connection when any
 * resolved address is not allowed (all of them, so a round-robin answer cannot sneak one in).
 */
export function policyLookup(policy: UrlPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const reason = refusedAddressReason(address, policy);
        if (reason) {
          const refused: NodeJS.ErrnoException = new EndpointUrlError(reason);
          refused.code = "EREFUSEDADDRESS";
          return callback(refused, []);
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new EndpointUrlError(`${hostname} has no address`), []);
      callback(null, first.address, first.family);
    });
  };
}
