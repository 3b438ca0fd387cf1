import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node, Parent } from 'mdast';
import { describe, expect, it } from 'vitest';
import { importDocument, type ImportShape } from '../../src/import/index.ts';
import { commandProblem, lintImported, proseWords } from '../../src/import/lint.ts';
import type { SourceFile } from '../../src/model/chapter.ts';
import { parseSource } from '../../src/parse/index.ts';
import { fileMarkdown } from '../../src/import/markdown.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/import');
const seed = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function importSeed(name: string, shape: ImportShape) {
  const text = seed(name);
  const result = importDocument(text, shape, { source: name, lang: 'fr', imageExists: () => false });
  const file = parseSource(result.markdown, { path: `fr/imported/${name}.md` });
  return { text, result, file, lint: lintImported(file, result.markdown) };
}

function count(file: SourceFile, type: string): number {
  let n = 0;
  const walk = (node: Node) => {
    if (node.type === type) n++;
    if ('children' in node) for (const c of (node as Parent).children as Node[]) walk(c);
  };
  for (const s of file.slides) for (const f of s.fragments) walk(f.tree);
  return n;
}

/** Fenced blocks of the source document, counted the CommonMark way (a closing fence has no info string). */
function sourceFences(text: string): number {
  let n = 0;
  let open = false;
  for (const line of text.split('\n')) {
    if (!open && /^\s{0,3}```/.test(line) && !/^\s{0,3}```.*```/.test(line)) [open, n] = [true, n + 1];
    else if (open && /^\s{0,3}```\s*$/.test(line)) open = false;
  }
  return n;
}

const titles = (file: SourceFile) => file.slides.map((s) => s.title?.text);
const chapters = (file: SourceFile) => file.slides.flatMap((s) => s.chapterTitles.map((h) => h.text));

describe('import --as notes (seed 002)', () => {
  const { text, result, file, lint } = importSeed('002-notes.txt', 'notes');

  it('gives a slide per heading, the table of contents as one outline slide, a single chapter', () => {
    expect(file.diagnostics).toEqual([]);
    expect(file.slides).toHaveLength(16);
    expect(chapters(file)).toEqual(['Introduction à Kubernetes']);
    expect(titles(file)).toContain('1. Concepts');
    expect(titles(file)).toContain('Explorer une application');
    // The 14 bare headings at the top are the author's plan: one slide listing them.
    expect(result.markdown.startsWith('# Introduction à Kubernetes\n\n## Plan\n')).toBe(true);
    expect(result.markdown).toMatch(/^## Plan\n[\s\S]*^ {2}- 1\.1 Applications monolithiques/m);
    // ***** banners are headings too.
    expect(titles(file)).toContain("Qu'est ce qu'un conteneur?");
    expect(titles(file)).toContain('Mettre à jour une application');
  });

  it('keeps every code block, console transcripts as `console` with their prompts', () => {
    const code = file.slides.flatMap((s) => s.code);
    // CommonMark reads lines 380–390 as one block; the importer closes it at the `` line (383), so two.
    expect(code).toHaveLength(sourceFences(text) + 1);
    expect(code.every((c) => c.lang === 'console')).toBe(true);
    expect(code.some((c) => c.value.startsWith('$ minikube start'))).toBe(true);
    // The block closed by a two-backtick line ends there, and the prose after it is prose again.
    expect(result.diagnostics.some((d) => d.code === 'import/short-fence' && d.position.line === 383)).toBe(true);
    expect(result.markdown).toMatch(/^Now again, we'll get the Pod name/m);
  });

  it('replaces each missing image with a visible placeholder and a warning, dropping none', () => {
    const refs = [...text.matchAll(/!\[[^\]]*\]\(([^)]+)\)|<img\s[^>]*src="([^"]+)"/g)].length;
    const placeholders = result.markdown.match(/\.warning\[Image manquante : [^\]]+\]/g) ?? [];
    expect(placeholders).toHaveLength(refs);
    expect(placeholders).toContain('.warning[Image manquante : Kubernetes.png]');
    const warnings = result.diagnostics.filter((d) => d.code === 'import/missing-image');
    expect(warnings).toHaveLength(refs);
    expect(warnings[0]).toMatchObject({ severity: 'warning', position: { file: '002-notes.txt', line: 9 } });
  });

  it('lint reveals the list pasted twice', () => {
    const dup = lint.filter((d) => d.code === 'lint/duplicate-text');
    expect(dup).toHaveLength(1);
    const line = result.markdown.split('\n')[dup[0]!.position.line - 1];
    expect(line).toMatch(/^Bien que non exhaustive/);
    expect(dup[0]!.message).toMatch(/repeat lines \d+–\d+/);
  });

  it('is idempotent: the same document gives the same Markdown', () => {
    expect(importDocument(text, 'notes', { source: 'x', lang: 'fr', imageExists: () => false }).markdown).toBe(result.markdown);
  });
});

describe('import --as pdf-text (seed 003)', () => {
  const { text, result, file, lint } = importSeed('003-pdf-text.txt', 'pdf-text');

  it('gives a slide per page; repeated page titles become one chapter, subtitles the slide titles', () => {
    expect(file.diagnostics).toEqual([]);
    expect(file.slides).toHaveLength(55);
    expect(chapters(file)).toEqual([
      'Kubernetes & Prometheus',
      "Métiers de l'OPS",
      'Le métier de SRE',
      'Introduction à Kubernetes',
      'Architecture de Kubernetes',
      'Concepts de base',
      'Installation et Configuration',
      'Kubectl',
      'Pod',
      'Utiliser les paths Json pour aller plus loin',
    ]);
    // "Introduction à Kubernetes" heads 9 pages of the PDF: one chapter, its pages titled by their subtitles.
    expect(text.match(/^Introduction à Kubernetes$/gm)).toHaveLength(9);
    expect(result.markdown.match(/^#+ Introduction à Kubernetes$/gm)).toEqual(['# Introduction à Kubernetes']);
    expect(result.markdown.match(/^## .*$/gm)!.map((h) => h.slice(3))).toEqual(expect.arrayContaining(['Définition', 'Auto-réparation', 'Lister les pods', 'Anatomie d\'un fichier descripteur']));
  });

  it('keeps tables, lists and code; consoles recognised, YAML labelled', () => {
    const tables = text.split('\n').filter((l, i, all) => l.startsWith('|') && !(all[i - 1] ?? '').startsWith('|')).length;
    expect(count(file, 'table')).toBe(tables);
    const code = file.slides.flatMap((s) => s.code);
    expect(code).toHaveLength(sourceFences(text));
    expect(code.filter((c) => c.lang === 'console').map((c) => c.value.split('\n')[0])).toContain('$ kubectl get pods --output wide');
    expect(code.filter((c) => c.lang === 'yaml')).toHaveLength(2);
    // ` - item` under `- item` (indentation lost by the PDF extraction) is nested again.
    expect(result.markdown).toContain('- **Définition:**\n  - Un ReplicaSet est un objet');
  });

  it('lint reveals `kubectrl proxy` and the page shown twice', () => {
    const unknown = lint.filter((d) => d.code === 'lint/unknown-command');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.message).toBe('`kubectrl` is not a command (did you mean `kubectl`?)');
    expect(result.markdown.split('\n')[unknown[0]!.position.line - 1]).toContain('***kubectrl proxy***');
    const dup = lint.filter((d) => d.code === 'lint/duplicate-text');
    expect(dup).toHaveLength(1);
    expect(result.markdown.split('\n')[dup[0]!.position.line - 1]).toBe('## Portabilité et indépendance du fournisseur de cloud');
  });
});

describe('import --as lab-sheet (seed 004)', () => {
  const { text, result, file, lint } = importSeed('004-lab-sheet.txt', 'lab-sheet');

  it('gives the chapter and a slide per section', () => {
    expect(file.diagnostics).toEqual([]);
    expect(file.slides).toHaveLength(8);
    expect(chapters(file)).toEqual(['Docker / Kubernetes - TP4 : Contextes, namespaces et premières exécutions']);
    expect(titles(file).slice(1)).toEqual(text.match(/^ *## (.*)$/gm)!.map((h) => h.replace(/^ *## /, '')));
  });

  it('puts commands learners run in lab boxes: bash without prompts, console transcripts with them', () => {
    const code = file.slides.flatMap((s) => s.code);
    expect(code).toHaveLength(sourceFences(text));
    const inLab = code.filter((c) => c.lab !== undefined);
    expect(inLab.length).toBe(file.slides.reduce((n, s) => n + s.labs.length, 0));
    expect(inLab.every((c) => c.lang === 'bash' || c.lang === 'console')).toBe(true);
    const bash = inLab.filter((c) => c.lang === 'bash');
    expect(bash.map((c) => c.value)).toContain('kubectl create cm cm1\nkubectl create cm cm2\nkubectl create cm cm3\nkubectl create cm cm4\nkubectl create cm cm5');
    expect(bash.every((c) => !/^dev \$/m.test(c.value))).toBe(true);
    expect(inLab.find((c) => c.lang === 'console' && c.value.startsWith('dev $ kubectl get cm -l version=1.0'))).toBeDefined();
    // `sh` blocks without a prompt are output, shown and not run.
    expect(code.filter((c) => c.lang === '' && c.lab === undefined).map((c) => c.value.split('\n')[0])).toEqual(['search dalk.svc.cluster.local [...]', 'NAME                              READY     STATUS             RESTARTS   AGE']);
    expect(code.filter((c) => c.lang === 'yaml')).toHaveLength(3);
    expect(code.filter((c) => c.lang === 'py')).toHaveLength(1);
  });

  it('keeps the [AnswerN] tags', () => {
    expect(result.markdown.match(/\[Answer\d\]/g)).toEqual(['[Answer1]', '[Answer2]', '[Answer3]']);
  });

  it('lint reveals the prompt typed twice', () => {
    const prompts = lint.filter((d) => d.code === 'lint/prompt-in-command');
    expect(prompts).toHaveLength(1);
    expect(result.markdown.split('\n')[prompts[0]!.position.line - 1]).toBe('dev $ $ kubectl get no -o wide');
  });
});

describe('lintImported', () => {
  const lint = (md: string) => lintImported(parseSource(md, { path: 'x.md' }), md);

  it('flags prompts in lab commands and unknown kubectl subcommands, not correct commands', () => {
    const md = '## A\n\n.lab[\n\n```bash\n$ kubectl get pods\nkubectl gett pods\nkubectl get pods | grep web && docker ps\n```\n\n]\n';
    const found = lint(md);
    expect(found.map((d) => [d.code, d.position.line])).toEqual([
      ['lint/prompt-in-command', 6],
      ['lint/unknown-command', 7],
    ]);
    expect(found[1]!.message).toBe('`kubectl gett` is not a kubectl command (did you mean `kubectl get`?)');
  });

  it('counts a slip of a neighbouring key, a missing, extra or swapped letter as a typo, another word as none', () => {
    for (const typo of ['kuectl get nodes', 'kubecttl get nodes', 'kubeclt get nodes', 'kubevtl get nodes', 'cyrl -s localhost']) {
      expect(commandProblem(typo), typo).toBeDefined();
    }
    // One letter away from a command, but on a key nowhere near it: words, not typos.
    for (const word of ['port forward', 'best case', 'lets us', 'will not', 'data plane', 'bind mount', 'match labels', 'thin pool']) {
      expect(commandProblem(word), word).toBeUndefined();
    }
    // Real commands near others, and kubectl plugins (any kubectl-NAME on the PATH).
    expect(commandProblem('dockerd --debug')).toBeUndefined();
    expect(commandProblem('kubectl who-can list pods')).toBeUndefined();
    expect(commandProblem('kubectl descibe pod web')?.message).toBe('`kubectl descibe` is not a kubectl command (did you mean `kubectl describe`?)');
    // A word of the course's prose is not a typo where commands are set off in prose.
    expect(commandProblem('used twice', new Set(['used']))).toBeUndefined();
    expect(commandProblem('used twice')?.message).toBe('`used` is not a command (did you mean `sed`?)');
  });

  it('leaves phrases set off in prose alone and still finds the typo in a lab command', () => {
    const md = [
      '## Installing the tool',
      '',
      '- On a Mac: `brew install kubetail` or `sudo port install kubetail`',
      '',
      '- Upgrades: *best case: in place; otherwise: new nodes*',
      '',
      '- `kubectl patch` *lets us change a few fields*, used with care',
      '',
      '- Each pod gets *resource requests*; a resource is what a pod asks for',
      '',
      '.lab[',
      '',
      '- List the classes:',
      '  ```bash',
      '  kuectl get storageclasses',
      '  ```',
      '',
      ']',
      '',
    ].join('\n');
    const found = lint(md);
    expect(found.map((d) => `${d.code} ${d.position.line} ${d.message}`)).toEqual(['lint/unknown-command 15 `kuectl` is not a command (did you mean `kubectl`?)']);
    // The vocabulary is the course's: a word written only in emphasis here is prose elsewhere.
    const alone = parseSource('## A\n\n- Pods have *resource requests*\n', { path: 'a.md' });
    const other = parseSource('## B\n\nA resource is anything the API serves.\n', { path: 'b.md' });
    expect(lintImported(alone, '').map((d) => d.message)).toEqual(['`resource` is not a command (did you mean `source`?)']);
    expect(lintImported(alone, '', proseWords([alone, other]))).toEqual([]);
  });

  it('checks console transcripts, leaves prose words alone', () => {
    expect(lint('## A\n\nLe **Pod** est une **cosse**, lancé par **run** et `kubectl <command> --help`.\n\n```\n$ kubeclt get po\n```\n')).toHaveLength(1);
    expect(lint('## A\n\nTexte **hazelcast** et **nginx** et `docker compose build`, un *name* et ***kubectrl***.\n')).toEqual([]);
  });
});

describe('prose made safe for the dialect', () => {
  const ctx = { source: 'doc.txt', lang: 'fr' as const, imageExists: () => false };
  it('keeps what the author meant where the dialect would read syntax', () => {
    // A `word:` line opening a slide would be a hidden property: escaped.
    const repeated = importDocument('# A\n\n## Plan\n\ntexte\n\n# A\n\nNote: le chapitre repris\n', 'notes', ctx).markdown;
    expect(repeated).toContain('---\n\nNote\\: le chapitre repris\n');
    expect(parseSource(repeated, { path: 'r.md' }).slides[1]!.properties).toEqual({});
    const doc = 'Warning: à lire\n\n# Titre\n\nLancez ```kubectl proxy``` puis lisez .env[0] et `.lab[` :\n\n---\n\n--\n\nUn `` perdu\n\nclass: pas une propriété\n';
    const { markdown } = importDocument(doc, 'notes', ctx);
    expect(markdown).toBe(
      '# Titre\n\nWarning: à lire\n\nLancez `kubectl proxy` puis lisez \\.env\\[0] et `.lab[` :\n\n***\n\n\\--\n\nUn &#96;&#96; perdu\n\nclass\\: pas une propriété\n',
    );
    const file = parseSource(markdown, { path: 'doc.md' });
    expect(file.diagnostics).toEqual([]);
    expect(file.slides).toHaveLength(1);
    expect(file.slides.every((s) => Object.keys(s.properties).length === 0 && s.labs.length === 0)).toBe(true);
  });

  it('keeps commands with unbalanced brackets out of lab boxes, which they would break', () => {
    const { markdown, diagnostics } = importDocument('# TP\n\n## 1\n\n```sh\ndev $ echo "[x"\n```\n', 'lab-sheet', ctx);
    expect(markdown).toContain('```bash\necho "[x"\n```');
    expect(markdown).not.toContain('.lab[');
    expect(diagnostics.map((d) => d.code)).toEqual(['import/lab-brackets']);
  });
});

describe('the Markdown labdeck writes (remark-stringify, the dialect style)', () => {
  it.each(['002-notes.txt', '003-pdf-text.txt', '004-lab-sheet.txt'])('%s: import → parse → stringify gives the same text', (name) => {
    const result = importDocument(seed(name), undefined, { source: name, lang: 'fr', imageExists: () => false });
    expect(fileMarkdown(parseSource(result.markdown, { path: 'out.md' }))).toBe(result.markdown);
    // The house style: `-` bullets, backtick fences.
    expect(result.markdown).toMatch(/^- /m);
    expect(result.markdown).not.toMatch(/^~~~/m);
  });
});
