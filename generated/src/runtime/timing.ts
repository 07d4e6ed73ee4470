// Copied by nexudus-codegen from templates/runtime/timing.ts. Do not edit here: edit the template and run `npm run generate`.
import { NexudusAbortError } from "./errors.js";

/** Longest delay `setTimeout` takes; longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** The error for an aborted call: a `NexudusAbortError` whose `cause` is the signal's reason. */
export const aborted = (signal?: AbortSignal): NexudusAbortError =>
  new NexudusAbortError("The call was aborted", { cause: signal?.reason });

/** Waits `ms` milliseconds (any length, `Infinity` included); rejects with a `NexudusAbortError` when `signal` aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = (): void => {
      clearTimeout(timer);
      reject(aborted(signal));
    };
    const arm = (left: number): void => {
      timer = setTimeout(
        () => {
          if (left > MAX_TIMER_MS) return arm(left - MAX_TIMER_MS);
          signal?.removeEventListener("abort", stop);
          resolve();
        },
        Math.min(left, MAX_TIMER_MS),
      );
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener("abort", stop, { once: true });
    arm(Math.max(0, ms));
  });

/** Settles like `promise`, or rejects with a `NexudusAbortError` as soon as `signal` aborts. */
export const unlessAborted = <T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> => {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const stop = (): void => reject(aborted(signal));
    if (signal.aborted) return stop();
    signal.addEventListener("abort", stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
  });
};

/** Exponential backoff with jitter: `base * 2^attempt`, times 0.5 to 1. */
export const backoff = (base: number, attempt: number): number =>
  base * 2 ** attempt * (0.5 + Math.random() / 2);

/**
 * Parses `Retry-After` into milliseconds: delta-seconds (digits only) or an HTTP date. Anything else, duplicated
 * headers included (`fetch` joins them with a comma), is `undefined`: the caller falls back to its backoff.
 */
export const parseRetryAfter = (value: string | null): number | undefined => {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
};
