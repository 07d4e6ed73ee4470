// Copied by nexudus-codegen from templates/runtime/page.ts. Do not edit here: edit the template and run `npm run generate`.
import { NexudusApiError, NexudusUsageError } from "./errors.js";
import type { NexudusPromise } from "./promise.js";
import type { Page } from "./types.js";

/** Fetches a page by number, for `getNextPage()`. */
export type PageFetcher<T> = (page: number) => NexudusPromise<ListPage<T>>;

/**
 * One page of a listing, as `list()` returns it: the Nexudus envelope (`Records`, `CurrentPage`, `TotalPages`,
 * `HasNextPage`…) plus `hasNextPage()` / `getNextPage()`, and `for await` over the records of this page and every
 * later one.
 *
 * Following pages stops at the last page (`HasNextPage` false, an empty page, or `TotalPages` reached), and fails with
 * a `NexudusApiError` when the server answers the records of the page before again, so a server that ignores `page`
 * (or repeats a page) cannot make it loop.
 */
export class ListPage<T> implements Page<T> {
  declare Records: T[];
  declare CurrentPage: number;
  declare CurrentPageSize: number;
  declare CurrentOrderField: string | null;
  declare CurrentSortDirection: number;
  declare FirstItem: number;
  declare LastItem: number;
  declare TotalItems: number;
  declare TotalPages: number;
  declare HasNextPage: boolean;
  declare HasPreviousPage: boolean;
  declare PageNumber?: number | undefined;
  declare PageSize?: number | undefined;
  readonly #fetch: PageFetcher<T>;
  readonly #asked: number;

  /**
   * Keeps the fields of an answer's envelope as own properties, none named like a method of the page or like anything
   * `Object.prototype` has (a hostile `hasNextPage` or `__proto__` key stays out, so no setter runs). `asked` is the
   * page number the request asked for.
   */
  constructor(envelope: Record<string, unknown>, asked: number, fetch: PageFetcher<T>) {
    for (const [field, value] of Object.entries(envelope))
      if (!(field in this)) (this as Record<string, unknown>)[field] = value;
    this.#asked = asked;
    this.#fetch = fetch;
  }

  /** Whether a later page exists: `HasNextPage`, this page not empty, and `TotalPages` not reached. */
  hasNextPage(): boolean {
    return (
      this.HasNextPage === true &&
      this.Records.length > 0 &&
      this.#asked < (this.TotalPages ?? Infinity)
    );
  }

  /**
   * The next page; a `NexudusUsageError` when there is none (check `hasNextPage()` first), a `NexudusApiError` when the
   * server answers this page's records again.
   */
  async getNextPage(): Promise<ListPage<T>> {
    if (!this.hasNextPage())
      throw new NexudusUsageError(`Page ${this.#asked} is the last (see hasNextPage()).`);
    const next = await this.#fetch(this.#asked + 1);
    // A server that ignores the page number (or repeats a page) would have the caller loop forever.
    if (JSON.stringify(next.Records) === JSON.stringify(this.Records))
      throw new NexudusApiError(`Paging stopped: page ${next.#asked} repeats page ${this.#asked}.`);
    return next;
  }

  /** Every record of this page and of every later page; holds one page in memory at a time. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (let page: ListPage<T> = this; ; page = await page.getNextPage()) {
      yield* page.Records;
      if (!page.hasNextPage()) return;
    }
  }
}
