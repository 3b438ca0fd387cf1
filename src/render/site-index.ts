import type { DeckAnnotations, DeckVerification } from '../model/annotation.ts';
import type { Deck, Lang } from '../model/deck.ts';
import { escapeHtml } from '../shared/html.ts';
import { loadLocale, t, type Locale } from '../shared/locale.ts';
import { deckPacing, durationLabel } from '../shared/pacing.ts';
import { fillTemplate, type Theme } from './theme.ts';
import { deckVerificationLine } from './verification.ts';

/** What the site index shows of one built deck. */
export interface DeckSummary {
  id: string;
  lang: Lang;
  title: string;
  /** Page of the deck, relative to the site root. */
  href: string;
  slideCount: number;
  /** Of those, slides of another deck shown where a translation is missing (English stand-ins). */
  standIns: number;
  group?: string;
  variant?: string;
  /** Estimated presenting time, in the deck's language (src/shared/pacing.ts). */
  duration?: string;
  /** Its labs' verification, when the build was given a report (`--verify-report`). */
  verification?: Omit<DeckVerification, 'slides'>;
}

/** The deck as presented: English slides inserted in a translation included. */
export function summarizeDeck(deck: Deck, annotations?: DeckAnnotations): DeckSummary {
  const pacing = deckPacing(deck, annotations?.insertions);
  const verification = annotations?.verification;
  return {
    ...(verification ? { verification: { state: verification.state, counts: verification.counts, ...(verification.run ? { run: verification.run } : {}) } } : {}),
    id: deck.id,
    lang: deck.lang,
    title: deck.values.title.trim().replace(/\s*\n\s*/g, ' '),
    href: `${deck.id}.html`,
    slideCount: pacing.slides.length,
    standIns: pacing.slides.length - deck.slides.length,
    group: deck.meta.group,
    variant: deck.meta.variant,
    duration: durationLabel(pacing.minutes, deck.lang),
  };
}

/**
 * `index.html`: the decks per language, each section written in its own language, with links
 * between decks of the same `group` (translations of each other).
 */
export function renderSiteIndex(decks: readonly DeckSummary[], theme: Theme, locales: (lang: Lang) => Locale = loadLocale, now: Date = new Date()): string {
  const langs = [...new Set(decks.map((d) => d.lang))].sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));
  const pageLang = langs[0] ?? 'en';
  const title = (langs.length > 0 ? langs : (['en'] as Lang[])).map((l) => t(locales(l), 'siteTitle')).join(' · ');

  const sections = langs.map((lang) => {
    const locale = locales(lang);
    const items = decks
      .filter((d) => d.lang === lang)
      .map((d) => {
        const others = decks.filter((o) => o !== d && d.group !== undefined && o.group === d.group && o.lang !== d.lang);
        const also = others.length
          ? ` · ${escapeHtml(t(locale, 'siteTranslations'))} ${others
              .map((o) => `<a href="${escapeHtml(o.href)}" hreflang="${escapeHtml(o.lang)}" lang="${escapeHtml(o.lang)}">${escapeHtml(t(locale, `languageName.${o.lang}`))}</a>`)
              .join(', ')}`
          : '';
        // A variant the locale names is shown in the section's language; another one as written.
        const variant = d.variant && (locale[`variant.${d.variant}`] ?? d.variant);
        const meta = [d.lang.toUpperCase(), t(locale, 'siteSlides', { n: d.slideCount }), d.duration, variant].filter(Boolean).map((s) => escapeHtml(String(s)));
        const verified = d.verification
          ? `<div class="deck-verified ld-verified-${d.verification.state}" data-verified="${d.verification.state}"${d.verification.run ? ` data-verified-at="${escapeHtml(d.verification.run.time)}"` : ''}>${escapeHtml(deckVerificationLine(d.verification, locale, now))}</div>`
          : '';
        return `<li data-deck="${escapeHtml(d.id)}"><a class="deck-title" href="${escapeHtml(d.href)}">${escapeHtml(d.title)}</a><div class="deck-meta">${meta.join(' · ')}${also}</div>${verified}</li>`;
      });
    const heading = t(locale, 'siteDecksIn', { language: t(locale, `languageName.${lang}`) });
    return `<section lang="${escapeHtml(lang)}" data-lang="${escapeHtml(lang)}"><h2>${escapeHtml(heading)}</h2>\n<ul>\n${items.join('\n')}\n</ul></section>`;
  });

  const body = sections.length > 0 ? sections.join('\n') : `<p>${escapeHtml(t(locales('en'), 'siteNoDecks'))}</p>`;
  return fillTemplate(theme.indexTemplate, { lang: pageLang, title: escapeHtml(title), assets: 'assets/', body });
}
