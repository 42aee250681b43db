import { requestNames, type RequestInput, type RequestName, type RequestOutput } from '../../shared/contract';

/** The namespaces of the contract: 'sessions.create' → 'sessions'. */
export type RequestNamespace = RequestName extends `${infer NS}.${string}` ? NS : never;

/** One request as a method; requests whose input may be omitted take an optional argument. */
export type RequestMethod<K extends RequestName> =
  undefined extends RequestInput<K>
    ? (input?: RequestInput<K>) => Promise<RequestOutput<K>>
    : (input: RequestInput<K>) => Promise<RequestOutput<K>>;

/** The methods of one namespace: `sessions` → { list, get, create, … }. */
export type NamespaceMethods<NS extends string> = {
  [K in RequestName as K extends `${NS}.${infer M}` ? M : never]: RequestMethod<K>;
};

/** Every request of the contract as `api.<namespace>.<method>(input)`, derived from the request names. */
export type TypedApi = { [NS in RequestNamespace]: NamespaceMethods<NS> };

type Caller = <K extends RequestName>(name: K, input: RequestInput<K>) => Promise<RequestOutput<K>>;

/**
 * Builds the typed proxy by looping over the contract's request names, so a request added to the
 * contract is a method here with no further code.
 */
export function buildTypedApi(call: Caller): TypedApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const name of requestNames) {
    const dot = name.indexOf('.');
    const ns = name.slice(0, dot);
    const method = name.slice(dot + 1);
    api[ns] ??= {};
    api[ns][method] = (input?: unknown) => call(name, input as RequestInput<typeof name>);
  }
  return api as unknown as TypedApi;
}
