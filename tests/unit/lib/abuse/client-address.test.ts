import { afterEach, describe, expect, it, vi } from "vitest";
import { clientAddress, normaliseAddress } from "@/lib/abuse/client-address";
import { PEER_ADDRESS_HEADER, setSocketAddressPinnedForTests } from "@/lib/http/socket-address";
import { setupServerTests } from "../../support/server";

setupServerTests();

describe("normaliseAddress", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["203.0.113.7:51234", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::9", "2001:db8:1:2::/64"],
    ["[2001:db8:1:2::9]:443", "2001:db8:1:2::/64"],
    ["::1", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["not an address", undefined],
    ["1.2.3", undefined],
  ])("%s → %s", (raw, key) => {
    expect(normaliseAddress(raw)).toBe(key);
  });
});

describe("clientAddress", () => {
  it("uses the rightmost X-Forwarded-For entry, the one the nearest proxy (or Next itself) wrote", () => {
    vi.stubEnv("TRUST_PROXY", "true");
    expect(clientAddress(new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.4" }))).toBe(
      "198.51.100.4",
    );
    expect(clientAddress({ "x-forwarded-for": "198.51.100.4" })).toBe("198.51.100.4");
  });

  it("keys every IPv6 address of one /64 alike", () => {
    const a = clientAddress({ "x-forwarded-for": "2001:db8:1:2::1" });
    const b = clientAddress({ "x-forwarded-for": "2001:db8:1:2:ffff::2" });
    expect(a).toBe(b);
  });

  it("falls back to a fixed key for a missing or garbage header", () => {
    expect(clientAddress(new Headers())).toBe("unknown");
    expect(clientAddress({ "x-forwarded-for": "<script>" })).toBe("unknown");
  });
});

describe("clientAddress with the socket hook in place (instrumentation.ts)", () => {
  afterEach(() => setSocketAddressPinnedForTests(false));

  it("keys by the TCP peer and ignores any X-Forwarded-For a client sent", () => {
    setSocketAddressPinnedForTests(true);
    const headers = { [PEER_ADDRESS_HEADER]: "::ffff:198.51.100.4", "x-forwarded-for": "6.6.6.6" };
    expect(clientAddress(headers)).toBe("198.51.100.4");
  });

  it("still uses the proxy's entry when TRUST_PROXY=true (the peer is only the proxy)", () => {
    setSocketAddressPinnedForTests(true);
    vi.stubEnv("TRUST_PROXY", "true");
    const headers = {
      [PEER_ADDRESS_HEADER]: "10.0.0.2",
      "x-forwarded-for": "6.6.6.6, 198.51.100.4",
    };
    expect(clientAddress(headers)).toBe("198.51.100.4");
  });

  it("never trusts the peer header when the hook is not installed: a client could have sent it", () => {
    const headers = { [PEER_ADDRESS_HEADER]: "7.7.7.7", "x-forwarded-for": "198.51.100.4" };
    expect(clientAddress(headers)).toBe("198.51.100.4");
  });

  it("warns once when a proxy seems to be in front but TRUST_PROXY is off", () => {
    setSocketAddressPinnedForTests(true);
    const warn = vi.mocked(console.warn);
    clientAddress({ [PEER_ADDRESS_HEADER]: "198.51.100.4", "x-forwarded-for": "198.51.100.4" });
    clientAddress({ [PEER_ADDRESS_HEADER]: "203.0.113.5", "x-forwarded-for": "6.6.6.6" });
    expect(warn).not.toHaveBeenCalled();
    expect(
      clientAddress({ [PEER_ADDRESS_HEADER]: "127.0.0.1", "x-forwarded-for": "6.6.6.6" }),
    ).toBe("127.0.0.1");
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/TRUST_PROXY=true/));
  });
});
