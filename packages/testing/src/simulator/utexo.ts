import type { Simulation, SimulationContext } from "./types.js";
export function utexoSimulation(_context: SimulationContext): Simulation {
  return { answer: () => undefined };
}
