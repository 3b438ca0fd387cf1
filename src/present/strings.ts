import type { Lang } from '../model/deck.ts';
import { loadLocale } from '../render/locale.ts';

/** Keys of the presenting tools' UI strings: `present.<key>` in locales/<lang>.json. */
const KEYS = ['extraShown', 'extraHidden', 'extraKey', 'chapterPlan', 'deckPlan', 'tocMinutes', 'syncFollowing', 'syncLost', 'syncRefused', 'outlineTitle', 'duration', 'searchPlaceholder', 'searchKey', 'searchNone', 'paceOnTime', 'paceAhead', 'paceBehind'] as const;

export type PresentStringKey = (typeof KEYS)[number];

/** The presenting tools' strings in the deck's language; same `{name}` placeholders as `t()`. */
export function presentStrings(lang: Lang): Record<PresentStringKey, string> {
  const locale = loadLocale(lang);
  return Object.fromEntries(KEYS.map((k) => [k, locale[`present.${k}`] ?? `present.${k}`])) as Record<PresentStringKey, string>;
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
