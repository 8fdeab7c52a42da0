import type { Simulation, SimulationContext } from "./types.js";
export function umaSimulation(_context: SimulationContext): Simulation {
  return { answer: () => undefined };
}
