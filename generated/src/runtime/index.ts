// Copied by nexudus-codegen from templates/runtime/index.ts. Do not edit here: edit the template and run `npm run generate`.
/**
 * Runtime of the generated Nexudus API client: the transport, the wire types, the errors and the query helpers.
 * Zero dependencies; runs wherever `fetch` does (Node.js, Deno, Bun, browsers).
 */
export { Transport, type RawRequestOptions } from "./transport.js";
export { NexudusPromise } from "./promise.js";
export { ListPage } from "./page.js";
export {
  NexudusError,
  NexudusApiError,
  NexudusBadRequestError,
  NexudusAuthError,
  NexudusUnauthorizedError,
  NexudusForbiddenError,
  NexudusNotFoundError,
  NexudusRateLimitError,
  NexudusServerError,
  NexudusTimeoutError,
  NexudusNetworkError,
  NexudusAbortError,
  NexudusConflictError,
  NexudusUsageError,
  type ErrorDetails,
} from "./errors.js";
export { formatQuery, formatDateTime } from "./query.js";
export type {
  ActionResult,
  BaseClientOptions,
  BasicAuth,
  Changes,
  ClientOptions,
  Command,
  CommandParameter,
  FetchOptions,
  HeaderValues,
  Logger,
  LogLevel,
  Page,
  PasswordAuth,
  QueryValue,
  RequestEvent,
  RequestOptions,
  ResourceInfo,
  ResponseEvent,
  SortDirection,
  TokenAuth,
  TokenProviderAuth,
  ValidationError,
  WithResponse,
} from "./types.js";
