import type { Element, ElementContent, Properties } from 'hast';
import type { DeckVerification, SlideVerification, VerificationRun } from '../model/annotation.ts';
import { t, type Locale } from '../shared/locale.ts';

/**
 * How a lab slide's verdict is drawn (the verdict itself comes from the build, as data):
 * - `data-verified="pass|fail|stale|none"` on the slide's section;
 * - a discreet mark in the slide (`.ld-verified`): what was verified when, on which Kubernetes
 *   and nodes, or the failing step and the first line of its error; `?verify=0` hides it from
 *   the audience, the presenter's frames always show it (client/present-verify.js);
 * - the same words and, for a failure, the pane's screen at that moment, in a hidden
 *   `.ld-verify-note` that the presenting controller puts at the top of the speaker notes.
 */

/** The speaker view is Reveal's own page, without the theme: the screen (160 columns) is styled inline. */
const SCREEN_STYLE = 'font-size:11px;line-height:1.25;overflow-x:auto;white-space:pre;background:#111;color:#eee;padding:0.6em';

const el = (tagName: string, properties: Properties, children: ElementContent[]): Element => ({ type: 'element', tagName, properties, children });
const text = (value: string): ElementContent => ({ type: 'text', value });

/** `Nov 29, 2026` / `29 nov. 2026`, in UTC so every build says the same. */
export function verificationDate(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));
}

/** `3 days ago` / `il y a 3 jours`, from the build's clock. */
export function verificationAge(iso: string, now: Date, lang: string): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 3600) return format.format(Math.min(-1, Math.round(seconds / 60)), 'minute');
  if (abs < 86400) return format.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 60) return format.format(Math.round(seconds / 86400), 'day');
  return format.format(Math.round(seconds / (86400 * 30)), 'month');
}

/** `Kubernetes v1.33.13, simulated nodes (kwok)`, or `no cluster`. */
function clusterLine(run: VerificationRun, locale: Locale): string {
  if (!run.kubernetes && !run.nodes) return t(locale, 'verify.noCluster');
  return t(locale, 'verify.cluster', { version: run.kubernetes ?? '?', nodes: run.nodes ? t(locale, `verify.nodes.${run.nodes}`) : '?' });
}

/** The two lines a verdict says: its headline, and what backs it. */
export function verificationLines(v: SlideVerification, locale: Locale): [string, string] {
  const date = v.run ? verificationDate(v.run.time, locale.lang) : '';
  switch (v.state) {
    case 'pass':
      return [t(locale, 'verify.pass', { date }), clusterLine(v.run!, locale)];
    case 'fail':
      return [t(locale, 'verify.fail', { date }), t(locale, 'verify.failStep', { step: v.failure!.step.split('\n')[0]!, error: v.failure!.error, file: v.failure!.file, line: v.failure!.line })];
    case 'stale':
      return [t(locale, 'verify.stale', { date }), t(locale, `verify.staleWas.${v.was ?? 'none'}`)];
    case 'none':
      return [t(locale, 'verify.none'), t(locale, `verify.notRun.${v.notRun ?? 'no-report'}`, { date, reason: v.skip ?? '' })];
  }
}

/** The mark in the slide and the hidden note for the speaker view. */
export function verificationElements(v: SlideVerification, locale: Locale): Element[] {
  const [headline, detail] = verificationLines(v, locale);
  const mark = el('div', { className: ['ld-verified', `ld-verified-${v.state}`], title: `${headline}\n${detail}` }, [
    el('span', { className: ['ld-verified-icon'], ariaHidden: 'true' }, []),
    el('span', { className: ['ld-verified-headline'] }, [text(headline)]),
    el('span', { className: ['ld-verified-detail'] }, [text(detail)]),
  ]);
  const note = el('div', { className: ['ld-verify-note', `ld-verified-${v.state}`], hidden: true }, [
    el('p', { className: ['ld-verify-note-headline'] }, [el('strong', {}, [text(headline)]), text(` — ${detail}`)]),
    ...(v.state === 'fail' && v.failure?.screen !== undefined
      ? [el('p', { className: ['ld-verify-note-screen-title'] }, [text(t(locale, 'verify.screen', { file: v.failure.file, line: v.failure.line }))]), el('pre', { className: ['ld-verify-screen'], style: SCREEN_STYLE }, [text(v.failure.screen.replace(/\s+$/, ''))])]
      : []),
  ]);
  return [mark, note];
}

/** What the site index says of a deck's labs: state and age, in the index section's language. */
export function deckVerificationLine(v: Omit<DeckVerification, 'slides'>, locale: Locale, now: Date): string {
  const total = v.counts.pass + v.counts.fail + v.counts.stale + v.counts.none;
  if (!v.run) return t(locale, 'siteVerify.none', { total });
  const age = verificationAge(v.run.time, now, locale.lang);
  if (v.state === 'fail') return t(locale, 'siteVerify.fail', { n: v.counts.fail, total, age });
  if (v.state === 'stale') return t(locale, 'siteVerify.stale', { n: v.counts.stale, total, age });
  if (v.state === 'pass') return t(locale, v.counts.pass === total ? 'siteVerify.pass' : 'siteVerify.partial', { n: v.counts.pass, total, age });
  return t(locale, 'siteVerify.notRun', { total, age });
}
