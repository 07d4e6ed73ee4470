/**
 * Child process of listing.test.ts: measures the client's heap while `listAll` walks a listing, apart from the
 * test server's own memory (the server runs in the parent). Run with `node --expose-gc --import tsx`.
 * Prints one JSON line.
 */
import { listAll, Transport } from "../../templates/runtime/index.js";
import { passes } from "./helpers.js";

const [url = "", token = "", size = "100"] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const heap = (): number => process.memoryUsage().heapUsed;
const transport = new Transport({ baseUrl: url, token });

// Warm up (JIT, connection pool) on a few pages, then take the baseline.
let warm = 0;
for await (const _ of listAll(transport, passes, { size: Number(size) }))
  if (++warm === Number(size) * 3) break;
gc();
const baseline = heap();
let peakRetained = 0;
let peakUsed = 0;
let seen = 0;
const ids = new Uint8Array(20_001);
for await (const record of listAll<{ Id: number }>(transport, passes, { size: Number(size) })) {
  ids[record.Id] = (ids[record.Id] ?? 0) + 1;
  seen++;
  peakUsed = Math.max(peakUsed, heap() - baseline);
  if (seen % 500 === 0) {
    gc();
    peakRetained = Math.max(peakRetained, heap() - baseline);
  }
}
gc();
const afterStream = heap() - baseline;

// For contrast: what holding every record costs.
const all: unknown[] = [];
for await (const record of listAll(transport, passes, { size: Number(size) })) all.push(record);
gc();
const collected = heap() - baseline;

console.log(
  JSON.stringify({
    seen,
    once: ids.filter((n) => n === 1).length,
    twice: ids.filter((n) => n > 1).length,
    peakRetained,
    peakUsed,
    afterStream,
    collected,
    kept: all.length,
  }),
);
