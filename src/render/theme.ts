import { readFileSync } from 'node:fs';
import { THEMES_DIR } from '../shared/paths.ts';

/** A theme folder: page templates with `{{slot}}`s, and static files copied to `assets/theme/`. */
export interface Theme {
  name: string;
  dir: string;
  /** Deck page (`template.html`). */
  deckTemplate: string;
  /** Site index page (`index.html`). */
  indexTemplate: string;
}

/** Files of a theme folder that are templates, not assets. */
export const THEME_TEMPLATES = new Set(['template.html', 'index.html']);

export function loadTheme(name = 'default', dir = THEMES_DIR): Theme {
  const themeDir = `${dir}/${name}`;
  return {
    name,
    dir: themeDir,
    deckTemplate: readFileSync(`${themeDir}/template.html`, 'utf8'),
    indexTemplate: readFileSync(`${themeDir}/index.html`, 'utf8'),
  };
}

/** Fills `{{slot}}`s. Values are inserted as given: callers escape what is text. */
export function fillTemplate(template: string, slots: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => slots[name] ?? whole);
}
