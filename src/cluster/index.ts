export { ClusterExit, hintFor, type ClusterExitCode } from './errors.ts';
export { runClusterScript, scriptsDir, type ClusterAction, type RunOptions, type RunResult } from './scripts.ts';
export { SIMULATED_NOTICE, describeNodes, detectNodes, type ClusterNodes, type NodeList } from './nodes.ts';
export { imageListPath, mirrorHas, normalizeImage, readImageList, type MirroredImage } from './mirror.ts';
