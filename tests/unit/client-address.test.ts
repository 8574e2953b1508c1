import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { addressKey, clientAddress, trustOf } from "../../server/client-address.js";

const req = (remote: string, xff?: string) =>
  ({
    socket: { remoteAddress: remote },
    connection: { remoteAddress: remote },
    headers: xff ? { "x-forwarded-for": xff } : {},
  }) as unknown as IncomingMessage;

describe("client address", () => {
  it("believes X-Forwarded-For only as far as TRUST_PROXY says, like Express", () => {
    const chain = "1.1.1.1, 2.2.2.2, 3.3.3.3";
    expect(clientAddress(req("127.0.0.1", chain), trustOf(false))).toBe("127.0.0.1");
    expect(clientAddress(req("127.0.0.1", chain), trustOf(1))).toBe("3.3.3.3");
    expect(clientAddress(req("127.0.0.1", chain), trustOf(2))).toBe("2.2.2.2");
    expect(clientAddress(req("127.0.0.1", chain), trustOf(9))).toBe("1.1.1.1");
    expect(clientAddress(req("127.0.0.1", chain), trustOf(["loopback"]))).toBe("3.3.3.3");
    expect(clientAddress(req("8.8.8.8", chain), trustOf(["loopback"]))).toBe("8.8.8.8");
    expect(
      clientAddress(req("127.0.0.1", "1.1.1.1, 10.0.0.7"), trustOf(["loopback", "10.0.0.0/8"])),
    ).toBe("1.1.1.1");
  });

  it("counts IPv4 as it is (also IPv4-mapped) and IPv6 by its /64", () => {
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("2001:db8:0:1::5")).toBe("2001:db8:0:1::/64");
    expect(addressKey("2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:0:1::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });
});
