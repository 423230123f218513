import { afterEach, describe, expect, it, vi } from "vitest";
import { directusFetch } from "@/lib/directus/client";
import { classifyDirectusError } from "@/lib/directus/errors";
import { lastReportedDown } from "@/lib/directus/health";
import { DIRECTUS, HttpResponse, http, server, setupServerTests } from "../../support/server";

setupServerTests();

/** What Node's fetch (undici) throws when a pooled connection breaks under a request. */
function brokenConnection(code: string): TypeError {
  const socket = Object.assign(new Error("other side closed"), { code });
  return new TypeError("fetch failed", { cause: socket });
}

function failFirstSends(...errors: Error[]) {
  const spy = vi.spyOn(globalThis, "fetch");
  for (const error of errors) spy.mockRejectedValueOnce(error);
  return spy;
}

async function failureCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return classifyDirectusError(error).code;
  }
  throw new Error("expected the call to fail");
}

describe("directusFetch over a connection that breaks", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(["UND_ERR_SOCKET", "ECONNRESET"])(
    "sends a read once more on a fresh connection after %s",
    async (code) => {
      server.use(http.get(`${DIRECTUS}/server/ping`, () => HttpResponse.text("pong")));
      const fetchSpy = failFirstSends(brokenConnection(code));
      const response = await directusFetch("server/ping");
      expect(await response.text()).toBe("pong");
      expect(fetchSpy).toHaveBeenCalledTimes(2);
      expect(lastReportedDown()).toBe(false);
    },
  );

  it("gives up after the second break, and says why in the failure", async () => {
    const fetchSpy = failFirstSends(
      brokenConnection("UND_ERR_SOCKET"),
      brokenConnection("UND_ERR_SOCKET"),
    );
    expect(await failureCode(directusFetch("server/ping"))).toBe("UND_ERR_SOCKET");
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    expect(lastReportedDown()).toBe(true);
  });

  it("never sends a POST twice: Directus may have acted on the first", async () => {
    const fetchSpy = failFirstSends(brokenConnection("UND_ERR_SOCKET"));
    const call = directusFetch("auth/logout", { method: "POST", body: "{}" });
    expect(await failureCode(call)).toBe("UND_ERR_SOCKET");
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it("does not retry a refused connection: Directus is down, asking again only waits longer", async () => {
    const fetchSpy = failFirstSends(brokenConnection("ECONNREFUSED"));
    expect(await failureCode(directusFetch("server/ping"))).toBe("ECONNREFUSED");
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });
});
