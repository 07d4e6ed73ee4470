import type { WithResponse } from "./types.js";

/**
 * What every client method returns: a `Promise` of the parsed value that can also give the HTTP answer it came from,
 * without a second request.
 *
 * ```ts
 * const record = await nx.billing.coworkerTimePasses.get(1);
 * const { data, response } = await nx.billing.coworkerTimePasses.get(1).withResponse();
 * const raw = await nx.billing.coworkerTimePasses.get(1).asResponse(); // status, headers, body
 * ```
 */
export class NexudusPromise<T> extends Promise<T> {
  /** `then`, `catch` and `finally` make plain promises, not `NexudusPromise`s. */
  static override readonly [Symbol.species] = Promise;

  readonly #answer: Promise<WithResponse<T>>;

  /** Wraps a call's answer; the request is already under way. */
  constructor(answer: Promise<WithResponse<T>>) {
    // The promise itself never settles: every way to its value goes through `then()`.
    super(() => {});
    this.#answer = answer;
  }

  /** The parsed value and the HTTP answer (`status`, `headers`, a body that can still be read). */
  withResponse(): Promise<WithResponse<T>> {
    return this.#answer;
  }

  /** The HTTP answer only. The call still fails as it would without it (error statuses reject). */
  asResponse(): Promise<Response> {
    return this.#answer.then((answer) => answer.response);
  }

  /** `await`, `catch` and `finally` all come here (`Promise.prototype.catch`/`finally` call `then`). */
  override then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    // The value is taken from the answer only when asked for: an unused one would be an unhandled rejection.
    return this.#answer.then((answer) => answer.data).then(onfulfilled, onrejected);
  }
}
