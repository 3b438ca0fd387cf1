import { readFileSync } from 'node:fs';
import type { Lang } from '../model/deck.ts';
import { LOCALES_DIR } from './paths.ts';

/** UI strings of one language: `locales/<lang>.json`. Keys are the same in every file (a test checks it). */
export type Locale = Readonly<Record<string, string>> & { readonly lang: string };

const cache = new Map<string, Locale>();

/** Reads `locales/<lang>.json` once per process. */
export function loadLocale(lang: Lang | string, dir = LOCALES_DIR): Locale {
  const key = `${dir}\0${lang}`;
  let locale = cache.get(key);
  if (!locale) {
    locale = JSON.parse(readFileSync(`${dir}/${lang}.json`, 'utf8')) as Locale;
    cache.set(key, locale);
  }
  return locale;
}

/** Forget loaded locales (the dev server calls this when a locale file changes). */
export function clearLocaleCache(): void {
  cache.clear();
}

/** Fills `{name}` placeholders; an unknown name stays as written, so it is noticed on screen. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** `t(locale, 'part', { n: 2 })` → "Part 2". A missing key shows as itself, so it is noticed on screen. */
export function t(locale: Locale, key: string, values: Record<string, string | number> = {}): string {
  return fill(locale[key] ?? key, values);
}

/** Keys of the presenting tools' UI strings: `present.<key>` in locales/<lang>.json. */
const PRESENT_KEYS = ['extraShown', 'extraHidden', 'extraKey', 'chapterPlan', 'deckPlan', 'tocMinutes', 'syncFollowing', 'syncLost', 'syncRefused', 'outlineTitle', 'duration', 'searchPlaceholder', 'searchKey', 'searchNone', 'paceOnTime', 'paceAhead', 'paceBehind'] as const;

export type PresentStringKey = (typeof PRESENT_KEYS)[number];

/** The presenting tools' strings in the deck's language; same `{name}` placeholders as `t()`. */
export function presentStrings(lang: Lang): Record<PresentStringKey, string> {
  const locale = loadLocale(lang);
  return Object.fromEntries(PRESENT_KEYS.map((k) => [k, locale[`present.${k}`] ?? `present.${k}`])) as Record<PresentStringKey, string>;
}
