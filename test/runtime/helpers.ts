import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { Transport, type ClientOptions, type ResourceInfo } from "../../templates/runtime/index.js";
import {
  startNexudusTestServer,
  type NexudusTestServer,
  type TestRecord,
  type TestServerOptions,
} from "../../templates/testing/server.js";

export const TOKEN = "static-test-token-1234567890";
export const USER = { username: "admin@example.com", password: "s3cret-Passw0rd!" };

export const passes: ResourceInfo = {
  entity: "CoworkerTimePass",
  path: "/api/billing/coworkertimepasses",
  listingOmits: ["Notes", "PurchaseOrder", "Free", "Price", "CreateMultiple"],
};

export const timePasses: ResourceInfo = {
  entity: "TimePass",
  path: "/api/billing/timepasses",
  listingOmits: [],
};

/** A full CoworkerTimePass seed record. */
export const pass = (i: number, extra: TestRecord = {}): TestRecord => ({
  Id: i,
  CoworkerId: 100 + (i % 5),
  BusinessId: 1,
  TimePassId: 7,
  TimePassName: i % 2 ? "Day pass" : "Half day",
  TimePassCurrencyCode: "EUR",
  Notes: `note ${i}`,
  PurchaseOrder: `PO-${i}`,
  Used: i % 3 === 0,
  CheckedIn: false,
  UsedDate: null,
  RemainingUses: i % 4,
  TotalUses: 4,
  Free: false,
  Price: 10 + i,
  CreateMultiple: 1,
  ExpireDate: `2025-0${1 + (i % 9)}-15T10:30:00Z`,
  Invoiced: false,
  ...extra,
});

/** Starts a server with CoworkerTimePasses and TimePasses, a static token and a password user. */
export const startServer = (count = 10, options: TestServerOptions = {}) =>
  startNexudusTestServer({
    tokens: [TOKEN],
    users: [USER],
    collections: [
      {
        entity: "CoworkerTimePass",
        path: passes.path,
        listingOmits: passes.listingOmits,
        required: ["CoworkerId", "BusinessId", "TimePassId"],
        records: Array.from({ length: count }, (_, k) => pass(k + 1)),
        commands: [
          {
            Key: "MARK_USED",
            Name: "Mark as used",
            run: (records) => records.forEach((r) => (r.Used = true)),
          },
          { Key: "ADD_NOTE", RequiresParameters: [{ Name: "Note", Type: "string" }] },
        ],
      },
      {
        entity: "TimePass",
        path: timePasses.path,
        required: ["Name"],
        records: [{ Name: "Day", Price: 20 }],
      },
    ],
    ...options,
  });

/**
 * The test server of the calling test file: started before its tests and closed after them, its faults and request
 * log cleared before each test. The returned object stands for the running server.
 */
export function useServer(count = 10, options: TestServerOptions = {}): NexudusTestServer {
  let current: NexudusTestServer | undefined;
  beforeAll(async () => {
    current = await startServer(count, options);
  });
  afterAll(() => current?.close());
  beforeEach(() => {
    current?.clearFaults();
    current?.clearRequests();
  });
  return new Proxy({} as NexudusTestServer, {
    get: (_target, key) => Reflect.get(current as NexudusTestServer, key),
  });
}

/** Fast retries, so that tests never sleep for real seconds unless they mean to. */
export const fast = { retry: { baseDelayMs: 5, maxDelayMs: 20 } } as const;

export const client = (url: string, options: Partial<ClientOptions> = {}): Transport =>
  new Transport({ baseUrl: url, token: TOKEN, ...fast, ...options } as ClientOptions);

/** Runs `fn` and returns what it threw (fails when it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** A request a raw server received. */
export interface RawRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A bare node:http server on 127.0.0.1 whose answers the test writes itself, for hostile or odd answers. */
export async function startRawServer(
  answer: (request: RawRequest, response: ServerResponse, index: number) => void,
): Promise<{ url: string; requests: RawRequest[]; close: () => Promise<void> }> {
  const requests: RawRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(request);
      answer(request, res, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers JSON with a status and headers. */
export const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(body === undefined ? "" : JSON.stringify(body));
};
