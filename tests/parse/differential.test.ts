import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRemarkParser } from '../../src/parse/index.ts';
import { fileDifferences } from './differential.ts';

/**
 * remark-parse is the reference: the fast parser (markdown-it) must give the same mdast (types,
 * values, positions) on everything the dialect writes. The differences kept on purpose are in
 * docs/DIALECT.md ("The fast parser and remark-parse") and in `knownDifference` below.
 */

const REPO = join(import.meta.dirname, '../..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name.startsWith('.') ? [] : markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

function expectSame(files: string[]): void {
  const found: string[] = [];
  for (const file of files) {
    for (const d of fileDifferences(readFileSync(file, 'utf8'), { path: file })) found.push(`${d.label}: ${JSON.stringify(d.differences)}`);
  }
  expect(found).toEqual([]);
}

describe('the fast parser agrees with remark-parse', () => {
  beforeAll(loadRemarkParser);

  it('on the seed decks (content/)', () => {
    expectSame(markdownFiles(join(REPO, 'content')));
  }, 60_000);

  it('on the container.training-shaped fixture', () => {
    expectSame(markdownFiles(join(REPO, 'tests/fixtures/container-training')));
  });

  const real = process.env.LABDECK_CONTAINER_TRAINING;
  if (!real) console.log('differential test: LABDECK_CONTAINER_TRAINING is not set, the real container.training checkout is skipped');
  it.skipIf(!real)('on a real container.training checkout (LABDECK_CONTAINER_TRAINING)', () => {
    expectSame(markdownFiles(join(real!, 'slides')));
  }, 300_000);

  it('on random mixes of the dialect and the CommonMark/GFM constructs it uses', () => {
    fc.assert(
      fc.property(documents, (text) => {
        const found = fileDifferences(text, { path: 'random.md' }, 3);
        expect(found, text).toEqual([]);
      }),
      { numRuns: 250 },
    );
  }, 120_000);
});

/* Random documents: slides of blocks, blocks of inline constructs, as the corpus writes them. */

const word = fc.constantFrom('kubectl', 'pods', 'the', 'node', 'Déploiement', 'run', 'x', '42', 'é', 'a_b', 'foo-bar', 'v1.2');
const words = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
const url = fc.constantFrom('https://kubernetes.io/docs/', 'http://localhost:8001/api', 'https://example.com/a_(b)', 'images/pic.png', '#toc-part');

const inline: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: words },
  { weight: 1, arbitrary: words.map((w) => `*${w}*`) },
  { weight: 1, arbitrary: words.map((w) => `**${w}**`) },
  { weight: 1, arbitrary: words.map((w) => `_${w}_`) },
  { weight: 1, arbitrary: words.map((w) => `~~${w}~~`) },
  { weight: 2, arbitrary: words.map((w) => `\`${w}\``) },
  { weight: 1, arbitrary: fc.tuple(words, url).map(([w, u]) => `[${w}](${u})`) },
  { weight: 1, arbitrary: fc.tuple(words, url).map(([w, u]) => `![${w}](${u})`) },
  { weight: 1, arbitrary: url.filter((u) => u.startsWith('http')).map((u) => `see ${u} here`) },
  { weight: 1, arbitrary: url.filter((u) => u.startsWith('http')).map((u) => `<${u}>`) },
  { weight: 1, arbitrary: fc.constantFrom('<br/>', '<b>bold</b>', '<!-- ```wait Running``` -->', '&amp;', '&eacute;', '\\*', '\\_', 'a@b.co') },
  { weight: 1, arbitrary: words.map((w) => `.red[${w}]`) },
);

const line = fc.array(inline, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' '));
const paragraph = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));

const code = fc.tuple(fc.constantFrom('bash', 'yaml', '', 'console'), fc.array(words, { minLength: 1, maxLength: 3 })).map(([lang, body]) => `\`\`\`${lang}\n${body.join('\n')}\n\`\`\``);

const leaf: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: paragraph },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), line).map(([n, l]) => `${'#'.repeat(n)} ${l}`) },
  { weight: 2, arbitrary: code },
  { weight: 1, arbitrary: words.map((w) => `    ${w}`) },
  { weight: 1, arbitrary: fc.tuple(words, words, words, words).map(([a, b, c, d]) => `| ${a} | ${b} |\n|---|:---:|\n| ${c} | ${d} |`) },
  { weight: 1, arbitrary: fc.constantFrom('<div class="x">\nhtml\n</div>', '<!-- ```bash\nkubectl get pods\n``` -->', '***') },
);

const item = fc.oneof(line, fc.tuple(line, code).map(([l, c]) => `${l}\n${c.replace(/^/gm, '  ')}`));
const list = fc.tuple(fc.boolean(), fc.array(item, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([ordered, items, loose]) =>
  items.map((it, i) => `${ordered ? `${i + 1}.` : '-'} ${it.replace(/\n/g, `\n${ordered ? '   ' : '  '}`)}`).join(loose ? '\n\n' : '\n'),
);
const nested = fc.tuple(line, list).map(([l, inner]) => `- ${l}\n${inner.replace(/^/gm, '  ')}`);
const quote = paragraph.map((p) => p.replace(/^/gm, '> '));

const block: fc.Arbitrary<string> = fc.oneof({ weight: 6, arbitrary: leaf }, { weight: 2, arbitrary: list }, { weight: 1, arbitrary: nested }, { weight: 1, arbitrary: quote });
const lab = fc.array(block, { minLength: 1, maxLength: 3 }).map((blocks) => `.lab[\n\n${blocks.join('\n\n')}\n\n]`);
const slide = fc
  .tuple(fc.option(fc.constantFrom('class: extra-details', 'name: scaling'), { nil: undefined }), fc.array(fc.oneof({ weight: 5, arbitrary: block }, { weight: 1, arbitrary: lab }), { minLength: 1, maxLength: 4 }), fc.option(paragraph, { nil: undefined }))
  .map(([props, blocks, notes]) => `${props ? `${props}\n\n` : ''}${blocks.join('\n\n')}${notes ? `\n\n???\n\n${notes}` : ''}`);
const documents = fc.array(fc.tuple(slide, fc.constantFrom('\n\n---\n\n', '\n\n--\n\n')), { minLength: 1, maxLength: 3 }).map((slides) => slides.map(([s, sep], i) => (i === 0 ? s : sep + s)).join('') + '\n');
