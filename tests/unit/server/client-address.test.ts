import { describe, expect, it, vi } from "vitest";
import { clientAddress, normaliseAddress } from "@/lib/auth/client-address";
import { setupServerTests } from "./support";

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
