export { ClusterExit, hintFor, type ClusterExitCode } from './errors.ts';
export { runClusterScript, scriptsDir, type ClusterAction, type RunOptions, type RunResult } from './scripts.ts';
export { SIMULATION_NOTICE, classifyNodes, detectSimulation, type ClusterSimulation } from './simulation.ts';
