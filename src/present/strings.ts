import type { Lang } from '../model/deck.ts';

/**
 * UI strings of the presenting tools, per deck language. Kept here rather than in locales/
 * while the renderer's locale files are being written; same `{name}` placeholders as `t()`.
 */
const STRINGS = {
  en: {
    extraShown: 'Extra details shown',
    extraHidden: 'Extra details hidden',
    extraKey: 'Show or hide extra-details slides',
    chapterPlan: 'Chapter “{title}”: {planned} planned, {before} before this slide',
    deckPlan: 'Whole deck: {planned} ({core} without extra details)',
    tocMinutes: '{planned}',
    syncFollowing: 'Following the presenter',
    syncLost: 'Presenter connection lost: retrying…',
    syncRefused: 'Sync refused: wrong token',
    outlineTitle: 'Course outline',
    duration: 'about {planned}',
    searchPlaceholder: 'Search the slides',
    searchKey: 'Search the slides',
    searchNone: 'no slide matches',
    paceOnTime: 'Chapter pace: on time',
    paceAhead: 'Chapter pace: {n} min ahead',
    paceBehind: 'Chapter pace: {n} min behind',
  },
  fr: {
    extraShown: 'Détails supplémentaires affichés',
    extraHidden: 'Détails supplémentaires masqués',
    extraKey: 'Afficher ou masquer les diapositives de détails supplémentaires',
    chapterPlan: 'Chapitre « {title} » : {planned} prévues, {before} avant cette diapositive',
    deckPlan: 'Tout le deck : {planned} ({core} sans les détails supplémentaires)',
    tocMinutes: '{planned}',
    syncFollowing: 'Suit le présentateur',
    syncLost: 'Connexion au présentateur perdue : nouvel essai…',
    syncRefused: 'Synchronisation refusée : mauvais jeton',
    outlineTitle: 'Programme de la formation',
    duration: 'environ {planned}',
    searchPlaceholder: 'Chercher dans les diapositives',
    searchKey: 'Chercher dans les diapositives',
    searchNone: 'aucune diapositive ne correspond',
    paceOnTime: 'Rythme du chapitre : dans les temps',
    paceAhead: 'Rythme du chapitre : {n} min d’avance',
    paceBehind: 'Rythme du chapitre : {n} min de retard',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type PresentStringKey = keyof (typeof STRINGS)['en'];

export function presentStrings(lang: Lang): Record<PresentStringKey, string> {
  return STRINGS[lang] ?? STRINGS.en;
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
