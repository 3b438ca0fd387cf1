import { parseSource } from '../../src/parse/index.ts';
import { checkFilePair, side, type Side } from '../../src/parity/check.ts';
import type { FileReport, PairReport } from '../../src/parity/report.ts';
import { stampSlides } from '../../src/parity/restamp.ts';
import type { StampBook } from '../../src/parity/stamps.ts';

export const EN_PATH = 'en/test/chapter.md';
export const FR_PATH = 'fr/test/chapter.md';

export function sides(en: string | undefined, fr: string | undefined, path = 'test/chapter.md'): { en: Side; fr: Side } {
  return {
    en: side(`en/${path}`, en === undefined ? undefined : parseSource(en, { path: `en/${path}` })),
    fr: side(`fr/${path}`, fr === undefined ? undefined : parseSource(fr, { path: `fr/${path}` })),
  };
}

export function check(en: string | undefined, fr: string | undefined, book: StampBook = new Map()): FileReport {
  const s = sides(en, fr);
  return checkFilePair(s.en, s.fr, book.get(s.fr.path) ?? new Map());
}

/** Stamps every French slide of the pair (what a translator does after a review). */
export function stampAll(en: string, fr: string, book: StampBook = new Map()): StampBook {
  const s = sides(en, fr);
  const report = checkFilePair(s.en, s.fr, book.get(s.fr.path) ?? new Map());
  const result = stampSlides(book, report, s.en, s.fr, { slides: [] });
  if (result.diagnostics.length > 0) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.book;
}

/** `EN title ↔ FR title: statuses` lines: the assertions read like the report. */
export function table(report: FileReport): string[] {
  return report.pairs.map((p) => `${p.en?.title ?? '—'} ↔ ${p.fr?.title ?? '—'}: ${p.statuses.join(',')}`);
}

export function pairOf(report: FileReport, enTitle: string): PairReport {
  const p = report.pairs.find((x) => x.en?.title === enTitle);
  if (!p) throw new Error(`no English slide titled ${enTitle}`);
  return p;
}

/** A small English chapter and its French translation, in the dialect of the seeds. */
export const EN = `# Running containers

- We are going to run a pod

---

## Starting a pod

- \`kubectl run\` starts a single pod

- We need to specify a *name* and an image

.lab[

- Start the pod:
  \`\`\`bash
  kubectl run pingpong --image alpine ping 127.0.0.1
  \`\`\`

<!-- \`\`\`wait pingpong\`\`\` -->

]

---

## Viewing logs

- Let's use the \`kubectl logs\` command, see the [docs](https://kubernetes.io/docs/reference/kubectl/)

.lab[

- View the logs:
  \`\`\`bash
  kubectl logs pingpong --tail 1
  \`\`\`

]

---

## What is a pod?

- A pod is a group of containers that share a network namespace and run on a single node

- It is the smallest unit that Kubernetes schedules

---

## Deleting the pod

- Pods are not restarted when we delete them directly: nothing watches them

.lab[

- Delete it:
  \`\`\`bash
  kubectl delete pod pingpong
  \`\`\`

]

???

:EN:- Running pods
:FR:- Lancer des pods
`;

export const FR = `# Lancer des conteneurs

- Nous allons lancer un pod

---

## Démarrer un pod

- \`kubectl run\` démarre un seul pod

- Nous devons spécifier un *nom* et une image

.exercise[

- Démarrez le pod :
  \`\`\`bash
  kubectl run pingpong --image alpine ping 127.0.0.1
  \`\`\`

<!-- \`\`\`wait pingpong\`\`\` -->

]

---

## Afficher les logs

- Utilisons la commande \`kubectl logs\`, voir la [documentation](https://kubernetes.io/docs/reference/kubectl/)

.exercise[

- Affichez les logs :
  \`\`\`bash
  kubectl logs pingpong --tail 1
  \`\`\`

]

---

## Qu'est-ce qu'un pod ?

- Un pod est un groupe de conteneurs qui partagent un espace de noms réseau et tournent sur un seul nœud

- C'est la plus petite unité que Kubernetes place sur un nœud

---

## Supprimer le pod

- Les pods ne sont pas redémarrés quand on les supprime directement : rien ne les surveille

.exercise[

- Supprimez-le :
  \`\`\`bash
  kubectl delete pod pingpong
  \`\`\`

]

???

:EN:- Running pods
:FR:- Lancer des pods
`;
