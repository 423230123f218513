import { beforeEach, describe, expect, it } from "vitest";
import {
  DOWN_FRESH_MS,
  UP_FRESH_MS,
  directusAvailable,
  lastReportedDown,
  reportDirectusHealth,
  resetDirectusHealthForTests,
} from "@/lib/directus/health";

function clockAndPing(answers: boolean[]) {
  let now = 1_000_000;
  let pings = 0;
  return {
    deps: {
      now: () => now,
      ping: async () => {
        pings += 1;
        await new Promise((r) => setTimeout(r, 5));
        const answer = answers.shift();
        if (answer === undefined) throw new Error("ping failed");
        return answer;
      },
    },
    advance: (ms: number) => {
      now += ms;
    },
    at: () => now,
    pings: () => pings,
  };
}

describe("Directus health", () => {
  beforeEach(() => resetDirectusHealthForTests());

  it("pings when nothing is known, and believes the answer for a while", async () => {
    const t = clockAndPing([true]);
    expect(await directusAvailable(t.deps)).toBe(true);
    t.advance(UP_FRESH_MS - 1);
    expect(await directusAvailable(t.deps)).toBe(true);
    expect(t.pings()).toBe(1);
  });

  it("takes a recent call's report instead of pinging", async () => {
    const t = clockAndPing([]);
    reportDirectusHealth(false, t.at());
    expect(await directusAvailable(t.deps)).toBe(false);
    expect(lastReportedDown()).toBe(true);
    reportDirectusHealth(true, t.at());
    expect(await directusAvailable(t.deps)).toBe(true);
    expect(lastReportedDown()).toBe(false);
    expect(t.pings()).toBe(0);
  });

  it("checks again soon after a failure, so recovery is noticed within a second or so", async () => {
    const t = clockAndPing([false, true]);
    expect(await directusAvailable(t.deps)).toBe(false);
    t.advance(DOWN_FRESH_MS);
    expect(await directusAvailable(t.deps)).toBe(true);
    expect(t.pings()).toBe(2);
  });

  it("checks again once a good answer is stale, and notices an outage", async () => {
    const t = clockAndPing([true, false]);
    expect(await directusAvailable(t.deps)).toBe(true);
    t.advance(UP_FRESH_MS);
    expect(await directusAvailable(t.deps)).toBe(false);
  });

  it("lets concurrent callers share one ping", async () => {
    const t = clockAndPing([false]);
    const answers = await Promise.all(Array.from({ length: 20 }, () => directusAvailable(t.deps)));
    expect(answers.every((a) => a === false)).toBe(true);
    expect(t.pings()).toBe(1);
  });

  it("counts a ping that throws as down", async () => {
    const t = clockAndPing([]);
    expect(await directusAvailable(t.deps)).toBe(false);
  });
});
