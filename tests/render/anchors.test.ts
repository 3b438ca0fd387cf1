import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/site.ts';
import { contentTree, removeContentTrees } from '../content-tree.ts';

afterAll(removeContentTrees);

describe('slide anchors', () => {
  it('use name: when set, else the title (accents kept, repeats numbered), unique in the deck', async () => {
    const dir = contentTree({
      'deck.yml': 'exclude: []\ncontent:\n- a.md\n',
      'a.md': '## Déployer\n\n---\n\nname: déployer\n\n## Named\n\n---\n\n## Déployer\n\n---\n\nno title here\n',
    });
    const report = await buildSite({ manifests: [join(dir, 'deck.yml')] });
    expect(report.ok).toBe(true);
    const html = report.site.pages.get('deck.html')!;
    const ids = [...html.matchAll(/<section[^>]*data-source="a\.md:\d+"[^>]*>/g)].map((m) => /\sid="([^"]+)"/.exec(m[0])?.[1] ?? null);
    // The named slide owns `déployer`; the two slides titled "Déployer" take -2 and -3.
    expect(ids).toEqual(['déployer-2', 'déployer', 'déployer-3', null]);
  });
});
