import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Lang } from '../model/deck.ts';

/** UI strings of one language: `locales/<lang>.json`. Keys are the same in every file (a test checks it). */
export type Locale = Readonly<Record<string, string>> & { readonly lang: string };

export const LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url));

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

/** `t(locale, 'part', { n: 2 })` → "Part 2". A missing key shows as itself, so it is noticed on screen. */
export function t(locale: Locale, key: string, values: Record<string, string | number> = {}): string {
  const template = locale[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
