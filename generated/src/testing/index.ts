// Copied by nexudus-codegen from templates/testing/index.ts. Do not edit here: edit the template and run `npm run generate`.
/**
 * `nexudus-api/testing`: a Nexudus-like HTTP server to test code that uses the client, without the real API.
 * @example
 * const server = await startNexudusTestServer({ tokens: ["t"], collections: [{ entity: "TimePass", path: "/api/billing/timepasses", records: [{ Name: "Day" }] }] });
 * const client = new NexudusClient({ baseUrl: server.url, token: "t" });
 */
export {
  startNexudusTestServer,
  type CommandRun,
  type Fault,
  type FaultRule,
  type NexudusTestServer,
  type RecordedRequest,
  type TestCollection,
  type TestCommand,
  type TestRecord,
  type TestServerOptions,
  type TestUser,
} from "./server.js";
