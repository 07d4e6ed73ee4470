// Copied by nexudus-codegen from templates/runtime/resource.ts. Do not edit here: edit the template and run `npm run generate`.
import type { ListPage } from "./page.js";
import type { NexudusPromise } from "./promise.js";
import type { Transport } from "./transport.js";
import type {
  ActionResult,
  Command,
  CommandParameter,
  RequestOptions,
  ResourceInfo,
  UpdateInfo,
} from "./types.js";

/** An operation function (`list`, `get`, `remove`…) as a resource's method calls it: transport, info, then its arguments. */
export type Operation = (...args: never[]) => unknown;

/** Reads a resource's transport: the private field, from outside the class body. */
let transportOf: (resource: NexudusResource) => Transport;

/**
 * What every generated resource is (e.g. `CoworkerTimePassesResource`): the transport its requests go through. Each
 * generated resource type is an interface of documented methods extending it, so nothing but a resource passes for one.
 * Each method's type is one of the `…Method` types below, given the entity's types: tsc checks each generic signature
 * once and a resource's use of it as a reference, where signatures of their own in every resource cost it more.
 */
export class NexudusResource {
  readonly #transport: Transport;

  /** A resource that sends its requests through `transport`; resources can share one. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  static {
    transportOf = (resource) => resource.#transport;
  }
}

/** `list()`: one page of records (`Item`, the listing record), filtered and sorted by `Query`. */
export type ListMethod<Item, Query> = (
  query?: Query,
  options?: RequestOptions,
) => NexudusPromise<ListPage<Item>>;

/** `pages()`: every page of a listing query, one request per page. */
export type PagesMethod<Item, Query> = (
  query?: Query,
  options?: RequestOptions,
) => AsyncIterableIterator<ListPage<Item>>;

/** `listAll()`: every record of every page of a listing query, one page in memory at a time. */
export type ListAllMethod<Item, Query> = (
  query?: Query,
  options?: RequestOptions,
) => AsyncIterableIterator<Item>;

/** `get()`: one full record by id. */
export type GetMethod<FullRecord> = (
  id: number,
  options?: RequestOptions,
) => NexudusPromise<FullRecord>;

/** `getMany()`: several records by id (`Item`, the listing record). */
export type GetManyMethod<Item> = (
  ids: readonly number[],
  options?: RequestOptions,
) => NexudusPromise<Item[]>;

/** `create()`: a new record from `Input`. */
export type CreateMethod<Input> = (
  input: Input,
  options?: RequestOptions,
) => NexudusPromise<ActionResult>;

/** `update()`: the whole record, PUT back. */
export type UpdateMethod<FullRecord> = (
  record: FullRecord,
  options?: RequestOptions,
) => NexudusPromise<ActionResult>;

/** `patch()`: some fields of a record by id, the rest kept. */
export type PatchMethod<Patchable> = (
  id: number,
  changes: Patchable,
  options?: RequestOptions,
) => NexudusPromise<ActionResult>;

/** `delete()`: one record by id. */
export type DeleteMethod = (id: number, options?: RequestOptions) => NexudusPromise<ActionResult>;

/** `commands()`: the commands that can run on the entity's records, or on one record. */
export type CommandsMethod = (id?: number, options?: RequestOptions) => NexudusPromise<Command[]>;

/** `runCommand()`: a command on some records, with its parameters. */
export type RunCommandMethod = (
  key: string,
  ids: readonly number[],
  parameters?: readonly CommandParameter[],
  options?: RequestOptions,
) => NexudusPromise<ActionResult>;

/**
 * The class of a generated resource, named `name`: each method of `operations` calls its operation function with the
 * resource's transport, `info` and the method's own arguments; each of `updateOperations` (`update`, `patch`) with
 * `updateInfo` instead. The generated module declares the methods' types: a class of one-line methods cost tsc
 * more to check than the interface of their signatures.
 */
export function resourceClass<Instance extends NexudusResource>(
  name: string,
  operations: Record<string, Operation>,
  info: ResourceInfo<object>,
  updateOperations: Record<string, Operation> = {},
  updateInfo?: UpdateInfo<object>,
): new (transport: Transport) => Instance {
  const built = { [name]: class extends NexudusResource {} }[name]!;
  for (const [methods, resource] of [
    [operations, info],
    [updateOperations, updateInfo],
  ] as const)
    for (const [method, operation] of Object.entries(methods))
      Object.defineProperty(built.prototype, method, {
        // A method shorthand, so that the method is named after the operation it calls.
        value: {
          [method](this: NexudusResource, ...args: unknown[]) {
            return (operation as (...args: unknown[]) => unknown)(
              transportOf(this),
              resource,
              ...args,
            );
          },
        }[method],
        writable: true,
        configurable: true,
      });
  return built as new (transport: Transport) => Instance;
}
