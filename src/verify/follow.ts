import type { SlideRef, Unit } from './step.ts';

/**
 * Autopilot hook (contract in docs/VERIFY.md): for every slide the runner enters, POST
 * `{ type: 'verify-slide', run, deck, slideIndex, slideNumber, slideId, file, line, title }` as JSON
 * to `url`. Posts go out in order, never block the run, and a dead endpoint is reported once.
 */
export interface SlideNotice {
  type: 'verify-slide';
  run: string;
  /** Deck id (manifest name without extension), or the chapter path for a lone file. */
  deck: string;
  /** 0-based Reveal horizontal index: `slideNumber - 1`. */
  slideIndex: number;
  slideNumber: number;
  slideId: string;
  file: string;
  line: number;
  title: string;
}

export function slideNotice(run: string, unit: Unit, slide: SlideRef): SlideNotice {
  return { type: 'verify-slide', run, deck: unit.kind === 'deck' ? unit.id : unit.source, slideIndex: slide.number - 1, slideNumber: slide.number, slideId: slide.id, file: slide.file, line: slide.line, title: slide.title };
}

export function follower(url: string, warn: (message: string) => void): { notify(n: SlideNotice): void; flush(): Promise<void> } {
  let chain = Promise.resolve();
  let warned = false;
  return {
    notify(n) {
      chain = chain.then(async () => {
        try {
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(n), signal: AbortSignal.timeout(2000) });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
        } catch (e) {
          if (!warned) warn(`--follow ${url}: ${(e as Error).message} (the run goes on)`);
          warned = true;
        }
      });
    },
    flush: () => chain,
  };
}
