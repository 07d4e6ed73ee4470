import type { Transport } from "./transport.js";
import type { ResourceInfo } from "./types.js";

/** An operation function (`list`, `get`, `remove`…) as a resource's method calls it: transport, info, then its arguments. */
export type Operation = (...args: never[]) => unknown;

/** Reads a resource's transport: the private field, from outside the class body. */
let transportOf: (resource: NexudusResource) => Transport;

/**
 * What every generated resource is (e.g. `CoworkerTimePassesResource`): the transport its requests go through. Each
 * generated resource type is an interface of documented methods extending it, so nothing but a resource passes for one.
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
  updateInfo?: ResourceInfo<object>,
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
