import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { escapeHtml } from '../shared/html.ts';
import { isInside } from '../shared/paths.ts';
import type { AssetCopy } from './assets.ts';

/** `<link>`s of the style sheets a deck's plugins need (KaTeX's), served from the site. */
export function styleTags(assetsBase: string, styles: readonly { output: string }[]): string {
  // `output` is `assets/styles/…`: the page reaches assets through its own base.
  return styles.map((s) => `<link rel="stylesheet" href="${escapeHtml(assetsBase + s.output.replace(/^assets\//, ''))}">\n`).join('');
}

/**
 * A style sheet and the files it names with `url(…)` (KaTeX's fonts), copied beside it so it
 * works offline: relative URLs only, and only files inside the package that holds the sheet.
 */
export function styleAssets(source: string, output: string): AssetCopy[] {
  const out: AssetCopy[] = [{ from: source, to: output }];
  const dir = dirname(source);
  const pkg = packageRoot(dir);
  const css = readFileSync(source, 'utf8');
  const seen = new Set<string>();
  for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
    const url = m[2]!.replace(/[?#].*$/, '');
    if (/^([a-z][a-z0-9+.-]*:|\/)/i.test(url) || seen.has(url)) continue;
    seen.add(url);
    const file = resolve(dir, url);
    if (!existsSync(file) || !statSync(file).isFile() || !isInside(realpathSync(file), pkg)) continue;
    out.push({ from: file, to: join(dirname(output), relative(dir, file)).split('\\').join('/') });
  }
  return out;
}

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) || dirname(dir) === dir) return realpathSync(dir);
  }
}
