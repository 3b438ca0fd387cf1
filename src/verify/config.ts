import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The `verify:` section of labdeck.yml (repository root), plus LABDECK_VERIFY_CONTEXTS. */
export interface VerifyConfig {
  /** Contexts a run may use without --context. */
  contexts: string[];
  /** Reports kept in the history (`verify.history`, default DEFAULT_KEEP); 0 keeps none. */
  history?: number;
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
    const doc = parse(text) as { verify?: { contexts?: unknown; history?: unknown } } | null;
    const list = doc?.verify?.contexts;
    if (list !== undefined && !(Array.isArray(list) && list.every((c) => typeof c === 'string')))
      return { config: { contexts }, error: 'labdeck.yml: verify.contexts must be a list of context names' };
    const history = doc?.verify?.history;
    if (history !== undefined && !(typeof history === 'number' && Number.isInteger(history) && history >= 0))
      return { config: { contexts }, error: 'labdeck.yml: verify.history must be a whole number of reports to keep (0: none)' };
    return { config: { contexts: [...contexts, ...((list as string[] | undefined) ?? [])], ...(history !== undefined ? { history } : {}) } };
  } catch (e) {
    return { config: { contexts }, error: `labdeck.yml: ${(e as Error).message.split('\n')[0]}` };
  }
}
