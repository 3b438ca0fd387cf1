import type { DeckAnnotations, SlideBadge } from '../model/annotation.ts';
import type { Deck, DeckSlide } from '../model/deck.ts';
import { loadLocale } from '../shared/locale.ts';
import type { FileReport, PairReport, ParityReport } from './report.ts';

export interface AnnotateOptions {
  /**
   * English slides with no translation: shown in English with a "non traduit" badge
   * (`english`, the default: the course stays complete) or left out (`omit`).
   */
  missing?: 'english' | 'omit';
  /** URL of a deck's HTML relative to the other deck's HTML. Default: `<deck id>.html`, side by side. */
  href?: (deck: Deck) => string;
}

interface Labels {
  review: string;
  untranslated: string;
  staleTitle: string;
  untrackedTitle: string;
  divergentTitle: string;
  missingTitle: string;
  untranslatedTitle: string;
  banner: string;
}

const LABEL_KEYS: (keyof Labels)[] = ['review', 'untranslated', 'staleTitle', 'untrackedTitle', 'divergentTitle', 'missingTitle', 'untranslatedTitle', 'banner'];

/** Shown on the translated deck, so in its language: `parity.<key>` in locales/<lang>.json. */
function labelsFor(lang: string): Labels {
  const locale = loadLocale(lang);
  return Object.fromEntries(LABEL_KEYS.map((k) => [k, locale[`parity.${k}`] ?? `parity.${k}`])) as unknown as Labels;
}

/**
 * What the renderer shows on `deck` given the parity `report` between `deck` and `otherDeck`
 * (one English, one translated, same `meta.group`): on the translated deck, badges, the banner
 * and the English slides inserted where a translation is missing; on both, the `L` map to the
 * aligned slide of the other deck (nearest aligned slide, `exact: false`, where there is none).
 * Call it once per deck with the same report and options, so both maps agree.
 */
export function annotationsFor(deck: Deck, otherDeck: Deck, report: ParityReport, options: AnnotateOptions = {}): DeckAnnotations {
  const translated = deck.lang !== 'en';
  const fr = translated ? deck : otherDeck;
  const en = translated ? otherDeck : deck;
  const href = options.href ?? ((d: Deck) => `${d.id}.html`);
  const labels = labelsFor(fr.lang);
  const pairs = pairIndex(report.files);
  const layout = frLayout(fr, en, pairs, options.missing ?? 'english');
  const enIndex = new Map(en.slides.map((s, i) => [s.id, i]));

  // Counterpart of each slide of this deck in the other deck's presentation order.
  const exact = new Map<string, number>();
  const own: { id: string }[] = translated ? layout.order : en.slides;
  if (translated) {
    for (const entry of layout.order) {
      const i = entry.counterpart === undefined ? undefined : enIndex.get(entry.counterpart);
      if (i !== undefined) exact.set(entry.id, i);
    }
  } else {
    for (const [i, entry] of layout.order.entries()) {
      if (entry.counterpart !== undefined && !exact.has(entry.counterpart)) exact.set(entry.counterpart, i);
    }
  }
  const map: Record<string, { index: number; exact: boolean }> = {};
  const inserted = new Set(layout.order.filter((e) => e.inserted).map((e) => e.id));
  own.forEach((s, i) => {
    const hit = exact.get(s.id);
    if (hit !== undefined) {
      // An English slide shown in the French deck is the same slide, not a translation of it.
      const isCopy = translated ? inserted.has(s.id) : layout.insertedFor.has(s.id);
      map[s.id] = { index: hit, exact: !isCopy };
      return;
    }
    const near = nearest(own, i, exact);
    if (near !== undefined) map[s.id] = { index: near, exact: false };
  });

  const annotations: DeckAnnotations = {
    badges: new Map(),
    languageSwitch: { targetDeck: href(otherDeck), targetLang: otherDeck.lang, map },
  };
  if (!translated) return annotations;

  let reviewed = false;
  for (const entry of layout.order) {
    const badge = entry.inserted ? missingBadge(labels) : badgeFor(entry.pair, labels, href(en), entry.counterpart === undefined ? undefined : enIndex.get(entry.counterpart));
    if (!badge) continue;
    annotations.badges.set(entry.id, [badge]);
    if (badge.kind === 'stale') reviewed = true;
  }
  if (reviewed) annotations.banner = { kind: 'stale', text: labels.banner, href: href(en) };
  const insertions = layout.order.filter((e) => e.inserted);
  if (insertions.length > 0) annotations.insertions = insertions.map((e) => ({ after: e.after ?? null, slide: e.slide, lang: en.lang, definitions: en.definitions }));
  return annotations;
}

function badgeFor(pair: PairReport | undefined, labels: Labels, enHref: string, enIndex: number | undefined): SlideBadge | undefined {
  if (!pair) return undefined;
  const link = enIndex === undefined ? {} : { href: `${enHref}#/${enIndex}` };
  const status = pair.statuses[0];
  if (status === 'divergent-code' || status === 'stale') return { kind: 'stale', label: labels.review, title: status === 'stale' ? labels.staleTitle : labels.divergentTitle, ...link };
  if (status === 'untranslated') return { kind: 'untranslated', label: labels.untranslated, title: labels.untranslatedTitle, ...link };
  if (status === 'untracked') return { kind: 'untracked', label: labels.review, title: labels.untrackedTitle, ...link };
  return undefined;
}

function missingBadge(labels: Labels): SlideBadge {
  return { kind: 'untranslated', label: labels.untranslated, title: labels.missingTitle };
}

interface PairIndex {
  byFr: Map<string, PairReport>;
  byEn: Map<string, PairReport>;
  files: Map<string, FileReport>;
}

const slot = (file: string, line: number) => `${file}:${line}`;

function pairIndex(files: readonly FileReport[]): PairIndex {
  const index: PairIndex = { byFr: new Map(), byEn: new Map(), files: new Map() };
  for (const f of files) {
    index.files.set(f.fr, f);
    for (const p of f.pairs) {
      if (p.fr) index.byFr.set(slot(p.fr.file, p.fr.line), p);
      if (p.en) index.byEn.set(slot(p.en.file, p.en.line), p);
    }
  }
  return index;
}

interface LayoutEntry {
  /** Id in the French deck (inserted English slides get `en:<id>`). */
  id: string;
  slide: DeckSlide;
  inserted: boolean;
  /** Id of the aligned slide in the English deck. */
  counterpart?: string;
  pair?: PairReport;
  /** For insertions: the French deck slide it goes after. */
  after?: string | null;
}

/**
 * The French deck as presented: its own slides, and the English slides that have no
 * translation placed after the French slide aligned with the English slide before them.
 */
function frLayout(fr: Deck, en: Deck, pairs: PairIndex, missing: 'english' | 'omit') {
  const enBySlot = new Map(en.slides.filter((s) => s.kind === 'author').map((s) => [slot(s.file, s.position.line), s]));
  const frBySlot = new Map(fr.slides.filter((s) => s.kind === 'author').map((s) => [slot(s.file, s.position.line), s]));
  // Generated slides (title, TOC, chapter titles) pair by kind and rank.
  const generated = new Map<string, string>();
  const rank = (deck: Deck) => {
    const seen = new Map<string, number>();
    return deck.slides.filter((s) => s.kind !== 'author').map((s) => {
      const n = (seen.get(s.kind) ?? 0) + 1;
      seen.set(s.kind, n);
      return [`${s.kind}#${n}`, s.id] as const;
    });
  };
  const enGenerated = new Map(rank(en));
  for (const [k, id] of rank(fr)) {
    const other = enGenerated.get(k);
    if (other) generated.set(id, other);
  }

  const order: LayoutEntry[] = [];
  const insertedFor = new Set<string>();
  // English slides to insert after a given French slide (null: before the file's first slide).
  const pending = new Map<string | null, DeckSlide[]>();
  if (missing === 'english') {
    for (const [, report] of pairs.files) {
      const frSlides = fr.slides.filter((s) => s.file === report.fr);
      if (frSlides.length === 0) continue;
      const firstIndex = fr.slides.indexOf(frSlides[0]!);
      let after: string | null = firstIndex > 0 ? fr.slides[firstIndex - 1]!.id : null;
      for (const p of report.pairs) {
        if (p.fr) {
          const s = frBySlot.get(slot(p.fr.file, p.fr.line));
          if (s) after = s.id;
        } else if (p.en) {
          const s = enBySlot.get(slot(p.en.file, p.en.line));
          if (!s) continue; // excluded from the English deck too
          const list = pending.get(after) ?? [];
          list.push(s);
          pending.set(after, list);
        }
      }
    }
  }
  const insert = (after: string | null) => {
    for (const s of pending.get(after) ?? []) {
      const id = `en:${s.id}`;
      insertedFor.add(s.id);
      order.push({ id, slide: { ...s, id }, inserted: true, counterpart: s.id, after, pair: pairs.byEn.get(slot(s.file, s.position.line))! });
    }
  };
  insert(null);
  for (const s of fr.slides) {
    const pair = s.kind === 'author' ? pairs.byFr.get(slot(s.file, s.position.line)) : undefined;
    const enSlide = pair?.en ? enBySlot.get(slot(pair.en.file, pair.en.line)) : undefined;
    const counterpart = s.kind === 'author' ? enSlide?.id : generated.get(s.id);
    order.push({ id: s.id, slide: s, inserted: false, ...(counterpart ? { counterpart } : {}), ...(pair ? { pair } : {}) });
    insert(s.id);
  }
  order.forEach((e, i) => {
    if (e.inserted) e.slide = { ...e.slide, number: i + 1 };
  });
  return { order, insertedFor };
}

/** The closest slide to `i` that has an exact counterpart, the one before it on a tie. */
function nearest(slides: readonly { id: string }[], i: number, exact: ReadonlyMap<string, number>): number | undefined {
  for (let d = 1; d < slides.length; d++) {
    const before = slides[i - d];
    if (before && exact.has(before.id)) return exact.get(before.id);
    const after = slides[i + d];
    if (after && exact.has(after.id)) return exact.get(after.id);
  }
  return undefined;
}
