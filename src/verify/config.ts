import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The `verify:` section of labdeck.yml (repository root), plus LABDECK_VERIFY_CONTEXTS. */
export interface VerifyConfig {
  /** Contexts a run may use without --context. */
  contexts: string[];
}

export function readVerifyConfig(cwd: string, env: NodeJS.ProcessEnv = process.env): { config: VerifyConfig; error?: string } {
  const contexts = (env.LABDECK_VERIFY_CONTEXTS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  let text: string;
  try {
    text = readFileSync(join(cwd, 'labdeck.yml'), 'utf8');
  } catch {
    return { config: { contexts } };
  }
  try {
    const doc = parse(text) as { verify?: { contexts?: unknown } } | null;
    const list = doc?.verify?.contexts;
    if (list !== undefined && !(Array.isArray(list) && list.every((c) => typeof c === 'string')))
      return { config: { contexts }, error: 'labdeck.yml: verify.contexts must be a list of context names' };
    return { config: { contexts: [...contexts, ...((list as string[] | undefined) ?? [])] } };
  } catch (e) {
    return { config: { contexts }, error: `labdeck.yml: ${(e as Error).message.split('\n')[0]}` };
  }
}
