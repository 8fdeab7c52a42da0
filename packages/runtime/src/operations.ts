// The generated operations table (src/generated/<spec>/operations.ts in each provider package)
// and the servers list are typed here so generated code and the runtime agree.

export interface OperationSpec {
  readonly method: string;
  readonly path: string;
  /** May be sent again after a failure: reads, and operations the spec marks x-satbind-retry-safe. */
  readonly retrySafe: boolean;
  /** Can move funds (x-satbind-moves-funds): never retried, and a lost answer is an AmbiguousOutcomeError. */
  readonly movesFunds: boolean;
  readonly auth: "required" | "optional" | "none";
}

export type OperationTable = Readonly<Record<string, OperationSpec>>;

export interface ServerVariable {
  readonly default: string;
  readonly enum?: readonly string[];
}

export interface ServerEntry {
  readonly url: string;
  readonly description?: string;
  readonly variables?: Readonly<Record<string, ServerVariable>>;
}

export type ServerList = readonly ServerEntry[];

export interface OperationRef extends OperationSpec {
  readonly operationId: string;
}

/** Index a table by method, then by path template: the two things a call is made with. */
export function indexOperations(table: OperationTable): Record<string, Map<string, OperationRef>> {
  const index: Record<string, Map<string, OperationRef>> = {};
  for (const [operationId, spec] of Object.entries(table)) (index[spec.method.toUpperCase()] ??= new Map()).set(spec.path, { ...spec, operationId });
  return index;
}

/** Fill a server URL's {variables}: given values first, then the spec's defaults. */
export function serverUrl(server: ServerEntry, values: Readonly<Record<string, string | undefined>> = {}): string {
  return server.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const variable = server.variables?.[name];
    const value = values[name] ?? variable?.default;
    if (value === undefined) throw new TypeError(`server URL ${server.url} needs a value for {${name}}`);
    if (variable?.enum && !variable.enum.includes(value)) {
      throw new TypeError(`{${name}} must be one of ${variable.enum.join(", ")}; got ${JSON.stringify(value)}`);
    }
    return value;
  });
}
