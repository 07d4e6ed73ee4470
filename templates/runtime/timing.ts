import { NexudusAbortError } from "./errors.js";
import type { Pace } from "./types.js";

/** Longest delay `setTimeout` takes; longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** The error for an aborted call: a `NexudusAbortError` whose `cause` is the signal's reason. */
const aborted = (signal?: AbortSignal): NexudusAbortError =>
  new NexudusAbortError("Call aborted.", { cause: signal?.reason });

/** Throws the `NexudusAbortError` of `signal` when it has aborted. */
export const stopIfAborted = (signal?: AbortSignal): void => {
  if (signal?.aborted) throw aborted(signal);
};

/**
 * Waits `ms` milliseconds (at most the longest timer, about 24.8 days; `Infinity` included); rejects with a
 * `NexudusAbortError` when `signal` aborts.
 */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const stop = (): void => {
      clearTimeout(clock);
      reject(aborted(signal));
    };
    const clock = setTimeout(
      () => {
        signal?.removeEventListener("abort", stop);
        resolve();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    signal?.addEventListener("abort", stop);
    if (signal?.aborted) stop();
  });

/** Settles like `promise`, or rejects with a `NexudusAbortError` as soon as `signal` aborts. */
export const unlessAborted = <T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> =>
  signal
    ? new Promise<T>((resolve, reject) => {
        const stop = (): void => reject(aborted(signal));
        if (signal.aborted) return stop();
        signal.addEventListener("abort", stop, { once: true });
        promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
      })
    : promise;

/**
 * The `pace` option that spaces requests client-side, in call order, `1000 / perSecond` ms apart: for callers who
 * would rather queue than be throttled. One value is one budget: transports given the same value share it.
 *
 * ```ts
 * new NexudusClient({ token, pace: maxRequestsPerSecond(5) });
 * ```
 */
export function maxRequestsPerSecond(perSecond: number): Pace {
  let next = 0;
  return (signal) => {
    const at = Math.max(Date.now(), next);
    next = at + 1000 / perSecond;
    return sleep(at - Date.now(), signal);
  };
}

/**
 * Parses `Retry-After` into milliseconds: delta-seconds (digits only) or an HTTP date. Anything else, duplicated
 * headers included (`fetch` joins them with a comma), is `undefined`: the caller falls back to its backoff.
 */
export const parseRetryAfter = (value?: string | null): number | undefined => {
  const text = value?.trim() ?? "";
  // An HTTP date ends with GMT, e.g. `Wed, 21 Oct 2015 07:28:00 GMT`.
  const left = /^\d+$/.test(text)
    ? +text * 1000
    : / GMT$/.test(text)
      ? Date.parse(text) - Date.now()
      : NaN;
  return left >= 0 ? left : left < 0 ? 0 : undefined;
};
