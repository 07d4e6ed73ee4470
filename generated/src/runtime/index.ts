// Copied by nexudus-codegen from templates/runtime/index.ts. Do not edit here: edit the template and run `npm run generate`.
/**
 * Runtime of the generated Nexudus API client: the transport, the operations, the authentications, logging, the wire
 * types, the errors and the query helpers. Zero dependencies; runs wherever `fetch` does (Node.js, Deno, Bun,
 * browsers). Every export is a separate piece: a bundle holds only the pieces its app uses.
 */
export { Transport } from "./transport.js";
export {
  list,
  pages,
  listAll,
  get,
  getMany,
  create,
  update,
  patch,
  remove,
  commands,
  runCommand,
  request,
  type RawRequestOptions,
} from "./operations.js";
export { passwordGrant, tokenProvider, basicAuth, type PasswordGrant } from "./auth.js";
export { hooks, logging, type Logger, type LoggingOptions, type LogLevel } from "./logging.js";
export { maxRequestsPerSecond } from "./timing.js";
export { NexudusPromise } from "./promise.js";
export {
  NexudusResource,
  resourceClass,
  type ListMethod,
  type PagesMethod,
  type ListAllMethod,
  type GetMethod,
  type GetManyMethod,
  type CreateMethod,
  type UpdateMethod,
  type PatchMethod,
  type DeleteMethod,
  type CommandsMethod,
  type RunCommandMethod,
} from "./resource.js";
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
  AuthContext,
  Authentication,
  Authorizer,
  BaseClientOptions,
  Changes,
  ClientOptions,
  Command,
  CommandParameter,
  Expect,
  FetchOptions,
  HeaderValues,
  Hooks,
  Observer,
  Pace,
  Page,
  QueryValue,
  RequestEvent,
  RequestOptions,
  ResourceInfo,
  ResponseEvent,
  RetryEvent,
  Send,
  SortDirection,
  UpdateInfo,
  ValidationError,
  WithResponse,
} from "./types.js";
