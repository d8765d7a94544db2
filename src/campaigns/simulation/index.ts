// The demo's simulated campaign responses (demo operator only).
export { type SimulatedResponses, simulateResponses } from './simulate-responses.ts';
