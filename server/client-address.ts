/**
 * The client's address, the same way for Express and Socket.IO: the connection's own address,
 * or, behind proxies trusted by TRUST_PROXY, the one they forwarded (proxy-addr, as Express does).
 */
import type { IncomingMessage } from "node:http";
import { isIPv6 } from "node:net";
import proxyaddr from "proxy-addr";
import type { Config } from "./config.js";

export type Trust = (address: string, hop: number) => boolean;

export function trustOf(setting: Config["TRUST_PROXY"]): Trust {
  if (setting === false) return () => false;
  if (typeof setting === "number") return (_address, hop) => hop < setting;
  return proxyaddr.compile(setting);
}

/** The address of the client of one HTTP request or Socket.IO handshake. */
export function clientAddress(req: IncomingMessage, trust: Trust): string {
  return proxyaddr(req, trust);
}

/**
 * What limits count by: an IPv4 address as it is (also when IPv4-mapped), an IPv6 address by its
 * /64, since one subscriber usually holds a whole /64 and could change address at will inside it.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return mapped;
  const bare = address.replace(/%.*$/, "");
  if (!isIPv6(bare)) return address;
  return `${expandIPv6(bare).slice(0, 4).join(":")}::/64`;
}

/** The eight groups of an IPv6 address (an IPv4 tail counts as two). */
function expandIPv6(address: string): string[] {
  const groups = (part: string) =>
    part ? part.split(":").flatMap((g) => (g.includes(".") ? ["0", "0"] : [g.toLowerCase()])) : [];
  const [head = "", tail] = address.split("::");
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => "0");
  return [...left, ...zeros, ...right].map((g) => g.replace(/^0+(?=.)/, ""));
}
