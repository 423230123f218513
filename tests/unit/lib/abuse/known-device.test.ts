import { describe, expect, it, vi } from "vitest";
import {
  KNOWN_DEVICE_MAX_AGE_SECONDS,
  knownDeviceCookie,
  knownDeviceCookieName,
  knownDeviceSetCookie,
  signKnownDevice,
  verifyKnownDevice,
} from "@/lib/abuse/known-device";
import { resetEnvCacheForTests } from "@/lib/env";
import { setupServerTests, useAppUrl } from "../../support/server";

setupServerTests();

const NOW = Date.UTC(2026, 0, 15);

describe("the known-device cookie", () => {
  it("verifies for the email it was issued to, however that email is spelled, and gives its device id", () => {
    const value = signKnownDevice("ada@example.com", { now: NOW });
    const id = verifyKnownDevice(value, " Ada@Example.COM", NOW + 1000);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(value.split(".")[1]).toBe(id);
    // A known browser keeps its id when the cookie is renewed.
    expect(
      verifyKnownDevice(signKnownDevice("ada@example.com", { deviceId: id }), "ada@example.com"),
    ).toBe(id);
  });

  it("names no account: neither the email nor its hash is in the value", () => {
    const value = signKnownDevice("ada@example.com", { now: NOW });
    expect(value).not.toMatch(/ada|example/i);
    expect(value.split(".")).toHaveLength(4);
  });

  it("is refused for another account", () => {
    const value = signKnownDevice("ada@example.com", { now: NOW });
    expect(verifyKnownDevice(value, "grace@example.com", NOW)).toBeUndefined();
  });

  it("is refused once expired, after 180 days", () => {
    const value = signKnownDevice("ada@example.com", { now: NOW });
    const expiry = NOW + KNOWN_DEVICE_MAX_AGE_SECONDS * 1000;
    expect(verifyKnownDevice(value, "ada@example.com", expiry - 1000)).toBeDefined();
    expect(verifyKnownDevice(value, "ada@example.com", expiry)).toBeUndefined();
  });

  it("is refused when any part is changed, missing or added", () => {
    const value = signKnownDevice("ada@example.com", { now: NOW });
    const [v, id, expires, mac] = value.split(".") as [string, string, string, string];
    const flip = (text: string) => `${text.startsWith("A") ? "B" : "A"}${text.slice(1)}`;
    for (const forged of [
      `${v}.${flip(id)}.${expires}.${mac}`,
      `${v}.${id}.${Number(expires) + 86_400}.${mac}`,
      `${v}.${id}.${expires}.${flip(mac)}`,
      `${v}.${id}.${expires}.${mac.slice(0, 20)}`,
      // The same bytes spelled another way (base64url's last character has two spare bits).
      `${v}.${id}.${expires}.${mac.slice(0, -1)}${String.fromCharCode(mac.charCodeAt(mac.length - 1) ^ 1)}`,
      `v2.${id}.${expires}.${mac}`,
      `${v}.${id}.${expires}`,
      `${value}.extra`,
      "",
      "x".repeat(5000),
    ]) {
      expect(
        verifyKnownDevice(forged, "ada@example.com", NOW),
        forged.slice(0, 60),
      ).toBeUndefined();
    }
    expect(verifyKnownDevice(undefined, "ada@example.com", NOW)).toBeUndefined();
  });

  it("is refused after NEXTAUTH_SECRET changes", () => {
    const value = signKnownDevice("ada@example.com", { now: NOW });
    vi.stubEnv("NEXTAUTH_SECRET", "another-secret-that-is-long-enough-9876543210");
    resetEnvCacheForTests();
    expect(verifyKnownDevice(value, "ada@example.com", NOW)).toBeUndefined();
  });

  it("is read from the Cookie header by its exact name", () => {
    expect(knownDeviceCookie("a=1; known-device=v1.x.2.y; b=2")).toBe("v1.x.2.y");
    expect(knownDeviceCookie("not-known-device=v1.x; known-devices=z")).toBeUndefined();
    expect(knownDeviceCookie(undefined)).toBeUndefined();
  });

  it("is set httpOnly, SameSite=Lax, only for the sign-in page (its form posts there), for 180 days", () => {
    expect(knownDeviceSetCookie("v1.a.b.c")).toBe(
      `known-device=v1.a.b.c; Path=/login; Max-Age=${180 * 86_400}; HttpOnly; SameSite=Lax`,
    );
  });

  it("is Secure with the __Secure- prefix when the site is https, like next-auth's cookies", () => {
    useAppUrl("https://shop.example.com");
    expect(knownDeviceCookieName()).toBe("__Secure-known-device");
    expect(knownDeviceSetCookie("v1.a.b.c")).toMatch(
      /^__Secure-known-device=v1\.a\.b\.c; .*; Secure$/,
    );
    expect(knownDeviceCookie("__Secure-known-device=v; known-device=w")).toBe("v");
  });
});
