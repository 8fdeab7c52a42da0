// What a provider's simulation is: a function from a valid request to the answer the real server
// would give in the simulator's state (undefined: not simulated, the mock's Prism answers).
import type { MockRequest } from "../types.js";
import type { SimCore } from "./core.js";

export interface SimReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SimulationContext {
  core: SimCore;
  /** Timers a simulation starts (a long-poll's deadline); the simulator clears them on close. */
  timers: Set<NodeJS.Timeout>;
}

export interface Simulation {
  /** The operationIds it answers (others are the mock's). */
  operations: string[];
  answer(request: MockRequest): SimReply | undefined | Promise<SimReply | undefined>;
}

export function reply(status: number, body?: unknown, headers?: Record<string, string>): SimReply {
  return { status, body, ...(headers && { headers }) };
}

/** A query parameter as one string (the first when repeated). */
export function queryParam(request: MockRequest, name: string): string | undefined {
  const value = request.query[name];
  return Array.isArray(value) ? value[0] : value;
}
