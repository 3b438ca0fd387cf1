import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labdeck } from '../cli/run.ts';
import { loadChapter } from '../../src/manifest/index.ts';
import { contentTree, removeContentTrees } from '../content-tree.ts';

afterAll(removeContentTrees);

const lab = (include: string) => `# Pods

## Looking at a Pod

.lab[

- Show the manifest:
  \`\`\`bash
  echo pod.yaml
  \`\`\`

]

\`\`\`yaml
@@INCLUDE[${include}]
\`\`\`

How many containers does this Pod run? [Answer1]
`;

// The include root of a lone chapter is the parent of its content root, as in a deck whose
// manifest leaves `includeroot:` at its default.
const tree = contentTree({
  'content/en/pods.md': lab('k8s/pod.yaml'),
  'content/en/broken.md': lab('k8s/missing.yaml'),
  'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\n',
  // container.training's layout: chapters under slides/, beside the deck manifests.
  'slides/kube.yml': 'exclude: [self-paced]\ncontent:\n- k8s/pods.md\n',
  'slides/k8s/pods.md': lab('k8s/pod.yaml'),
});

describe('loadChapter: one chapter read on its own', () => {
  it('resolves @@INCLUDE from the include root and names positions from the content root', () => {
    const chapter = loadChapter(join(tree, 'content/en/pods.md'))!;
    expect(chapter.root).toBe(join(tree, 'content'));
    expect(chapter.file.path).toBe('en/pods.md');
    expect(chapter.file.diagnostics).toEqual([]);
    expect(chapter.file.slides.flatMap((s) => s.code.map((c) => c.value))).toContain('apiVersion: v1\nkind: Pod');
  });

  it('takes the folder of the deck manifests for the content root, as in container.training', () => {
    const chapter = loadChapter(join(tree, 'slides/k8s/pods.md'))!;
    expect(chapter.root).toBe(join(tree, 'slides'));
    expect(chapter.file.path).toBe('k8s/pods.md');
    expect(chapter.file.diagnostics).toEqual([]);
  });

  it('is undefined for a file that is not there', () => {
    expect(loadChapter(join(tree, 'content/en/nowhere.md'))).toBeUndefined();
  });
});

describe('answers template, verify --plan and lint read a chapter the same way', () => {
  it('both accept a chapter whose include exists', async () => {
    const chapter = join(tree, 'content/en/pods.md');
    const plan = await labdeck('verify', '--plan', chapter);
    expect(plan.stderr).not.toContain('include/missing');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('en/pods.md:9  $ echo pod.yaml');

    const template = await labdeck('answers', 'template', chapter);
    expect(template.stderr).not.toContain('include/missing');
    expect(template.code).toBe(0);
    expect(JSON.parse(template.stdout)).toEqual({ Answer1: expect.any(String) });

    const lint = await labdeck('lint', chapter);
    expect(lint.stderr).toMatch(/^1 chapter, \d+ slides: 0 errors, 0 warnings$/m);
    expect(lint.code).toBe(0);
  });

  it('both refuse a chapter whose include is missing, at the same position', async () => {
    const chapter = join(tree, 'content/en/broken.md');
    const plan = await labdeck('verify', '--plan', chapter);
    const template = await labdeck('answers', 'template', chapter);
    const lint = await labdeck('lint', chapter);
    expect(plan.code).not.toBe(0);
    expect(template.code).not.toBe(0);
    expect(lint.code).not.toBe(0);
    const where = (stderr: string) => /^(\S+): error: .*\[include\/missing\]$/m.exec(stderr)?.[1];
    expect(where(plan.stderr)).toBe('en/broken.md:15:1');
    expect(where(template.stderr)).toBe(where(plan.stderr));
    expect(where(lint.stderr)).toBe(where(plan.stderr));
  });
});
