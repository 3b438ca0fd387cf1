import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../locales');
const locales = Object.fromEntries(readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => [f.slice(0, -5), JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Record<string, string>]));

describe('locales', () => {
  it('exist for English and French and hold the same keys, each a non-empty string with the same placeholders', () => {
    expect(Object.keys(locales).sort()).toEqual(['en', 'fr']);
    const { en, fr } = locales as Record<'en' | 'fr', Record<string, string>>;
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      expect(typeof en[key], key).toBe('string');
      expect(fr[key]!.length, key).toBeGreaterThan(0);
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(fr[key]!), key).toEqual(placeholders(en[key]!));
    }
  });

  it('hold the strings of the presenting tools and of the translation badges', () => {
    expect(locales.fr!['parity.review']).toBe('traduction à revoir');
    expect(locales.fr!['parity.untranslated']).toBe('non traduit');
    expect(locales.en!['present.searchPlaceholder']).toBe('Search the slides');
  });
});
