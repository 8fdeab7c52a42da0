import type { Simulation, SimulationContext } from "./types.js";
export function deezySimulation(_context: SimulationContext): Simulation {
  return { answer: () => undefined };
}
