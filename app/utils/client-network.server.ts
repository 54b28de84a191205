// The network a client address belongs to, for the review queue's "too many
// asks from one network" rule: one person with a block of addresses (or a
// script on a cloud host) changes the last part of the address, not the network.
// IPv4 networks are /24s; IPv6 ones /48s, the usual size of one site's allocation.
import { isIPv4, isIPv6 } from "node:net";

/** "203.0.113.0/24" or "2001:db8:1::/48" for an address; null for anything that is not an IP address. */
export function networkOf(address: string): string | null {
  const ip = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return networkOf(mapped[1]!);
  if (isIPv4(ip)) return `${ip.split(".").slice(0, 3).join(".")}.0/24`;
  if (isIPv6(ip)) {
    const groups = expandIPv6(ip);
    return `${groups
      .slice(0, 3)
      .map((g) => g.replace(/^0+(?=.)/, ""))
      .join(":")}::/48`;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address, "::" filled in, without a zone (%eth0). */
function expandIPv6(ip: string): string[] {
  const [head = "", tail] = ip.split("%")[0]!.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail ("::1.2.3.4") is two groups.
  const last = (tail === undefined ? left : right).at(-1);
  const ipv4Groups = last && isIPv4(last) ? 1 : 0;
  const missing = 8 - left.length - right.length - ipv4Groups;
  return [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right];
}
