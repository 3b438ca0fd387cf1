import type { RegisterCommand } from '../shared.ts';
import { registerAnswers } from './answers.ts';
import { registerBuild } from './build.ts';
import { registerCheck } from './check.ts';
import { registerCluster } from './cluster.ts';
import { registerDev } from './dev.ts';
import { registerExport } from './export.ts';
import { registerImport } from './import.ts';
import { registerLint } from './lint.ts';
import { registerOutline } from './outline.ts';
import { registerPack } from './pack.ts';
import { registerParity } from './parity.ts';
import { registerServe } from './serve.ts';
import { registerVerify } from './verify.ts';

// One line per command module; keep this list in the order of `labdeck --help`.
export const commands: RegisterCommand[] = [registerBuild, registerDev, registerLint, registerParity, registerVerify, registerCluster, registerOutline, registerServe, registerExport, registerCheck, registerPack, registerImport, registerAnswers];
