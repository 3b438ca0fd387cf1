import type { Node, Parent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { SourceFile } from '../model/chapter.ts';
import { warning, type Diagnostic } from '../model/diagnostic.ts';
import { commandOf, fenceMarker, hasPrompt } from './shared.ts';

/** Commands a Kubernetes course types. A word one typo away from one of these is a typo. */
const COMMANDS = new Set(
  `kubectl kubeadm kubelet kubens kubectx kustomize helm minikube kind k3d k9s stern etcdctl crictl docker docker-compose podman
  curl wget http echo cat export cd ls grep egrep jq yq sed awk git ssh scp ping watch sleep kill ps top env sudo apt apt-get yum
  tail head wc sort uniq mkdir rm cp mv touch chmod chown vi vim nano less more nc nslookup dig host openssl base64 python python3
  pip node npm make tar which man true false exit source set unset alias for while if do done then fi systemctl journalctl tee
  xargs bash sh zsh date printf read test time history clear ip ifconfig netstat ss tree find diff file id whoami hostname uname
  free df du mount exec eval cut tr yes seq telnet ab hey siege htpasswd promtool amtool istioctl linkerd argocd flux shpod
  dockerd containerd etcd runc ctr nerdctl brew port`.split(/\s+/),
);
/** kubectl's subcommands (1.30), with the short forms container.training uses. */
const KUBECTL = new Set(
  `create expose run set explain get edit delete rollout scale autoscale certificate cluster-info top cordon uncordon drain taint
  describe logs attach exec port-forward proxy cp auth debug events diff apply patch replace wait kustomize label annotate completion
  api-resources api-versions config plugin version options alpha`.split(/\s+/),
);

/**
 * Keys next to each other on QWERTY or AZERTY keyboards (French courses are typed on both).
 * Hitting a neighbour is a typo; `port` for `sort` or `lets` for `less` is another word.
 */
const NEIGHBOURS: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const layouts = [
    ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'],
    ['1234567890-', 'azertyuiop', 'qsdfghjklm', 'wxcvbn'],
  ];
  const map = new Map<string, Set<string>>();
  const link = (a: string | undefined, b: string | undefined) => {
    if (!a || !b) return;
    for (const [x, y] of [[a, b], [b, a]] as const) map.set(x, (map.get(x) ?? new Set()).add(y));
  };
  for (const rows of layouts) {
    rows.forEach((row, r) => {
      for (let i = 0; i < row.length; i++) {
        link(row[i], row[i + 1]);
        // Staggered rows: a key touches two keys of the row below it.
        link(row[i], rows[r + 1]?.[i]);
        link(row[i], rows[r + 1]?.[i - 1]);
      }
    });
  }
  return map;
})();

const substitutionCost = (a: string, b: string) => (a === b ? 0 : NEIGHBOURS.get(a)?.has(b) ? 1 : 2);

/**
 * Typing distance with transpositions, where only a neighbouring key counts as one slip; stops
 * early: only 0, 1, 2 or "more" matter here.
 */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + substitutionCost(a[i - 1]!, b[j - 1]!));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function nearest(word: string, known: ReadonlySet<string>): string | undefined {
  if (word.length < 4 || known.has(word)) return undefined;
  const limit = word.length >= 8 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const k of known) {
    const dist = distance(word, k);
    if (dist < bestDistance) [best, bestDistance] = [k, dist];
  }
  return best;
}

/**
 * What is wrong with one command line (`kubectrl proxy`, `kubectl gett pods`), if anything.
 * `words` are words the course uses in its own sentences: in prose, such a word is not a typo.
 */
export function commandProblem(command: string, words: ReadonlySet<string> = new Set()): { message: string; hint: string } | undefined {
  const parts = command.trim().replace(/^(sudo\s+|\w+=\S*\s+)+/, '').split(/\s+/);
  const [first = '', second] = parts;
  if (!/^[a-z][a-z0-9-]*$/.test(first) || words.has(first)) return undefined;
  const typo = nearest(first, COMMANDS);
  if (typo) return { message: `\`${first}\` is not a command (did you mean \`${typo}\`?)`, hint: `write \`${[typo, ...parts.slice(1)].join(' ')}\`` };
  // Any `kubectl-NAME` on the PATH is a kubectl plugin (`kubectl who-can`): only a near miss of a
  // built-in subcommand is a typo.
  if (first === 'kubectl' && second !== undefined && /^[a-z][a-z-]*$/.test(second) && !KUBECTL.has(second)) {
    const sub = nearest(second, KUBECTL);
    if (sub) return { message: `\`kubectl ${second}\` is not a kubectl command (did you mean \`kubectl ${sub}\`?)`, hint: `write \`kubectl ${sub}\`, or see \`kubectl help\`` };
  }
  return undefined;
}

/**
 * What imported material tends to carry: commands that do not exist, prompts left in commands
 * learners run, paragraphs pasted twice. `text` is the file's text (`file` its parse), for the
 * line-level checks; `words` the words of the course's prose (`proseWords`, by default this file's).
 * Run by `labdeck import` on what it writes; `labdeck lint` runs it on every file of the course.
 */
export function lintImported(file: SourceFile, text: string, words: ReadonlySet<string> = proseWords([file])): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (line: number, column = 1) => ({ file: file.path, line, column });
  for (const slide of file.slides) {
    for (const code of slide.code) {
      const lines = code.value.split('\n');
      const console = code.lang === 'console' || (code.lang === '' && lines.some(hasPrompt));
      const shell = /^(bash|sh|shell)$/.test(code.lang);
      lines.forEach((line, i) => {
        const position = at(code.position.line + 1 + i, 1);
        let command: string | undefined;
        if (console) {
          command = commandOf(line);
          if (command !== undefined && (hasPrompt(command) || /^\$ /.test(command))) {
            out.push(warning('lint/prompt-in-command', position, `a second prompt in \`${line.trim()}\`: the command would start with \`$\``, 'keep one prompt: `$ command`'));
          }
        } else if (shell && code.lab !== undefined) {
          if (hasPrompt(line)) {
            out.push(warning('lint/prompt-in-command', position, `prompt left in a lab command: \`${line.trim()}\` would be typed as is, prompt included`, 'remove the prompt, or make the block a `console` transcript'));
            command = commandOf(line);
          } else if (!/^\s*(#|$)/.test(line) && !/\\\s*$/.test(lines[i - 1] ?? '')) command = line;
        }
        if (command === undefined) return;
        for (const segment of command.split(/\s*(?:&&|\|\||;|\|)\s*/)) {
          const problem = commandProblem(segment);
          if (problem) out.push(warning('lint/unknown-command', position, problem.message, problem.hint));
        }
      });
    }
    // Commands written in prose are set off by code or emphasis: `kubectl get po`, ***kubectrl proxy***.
    for (const fragment of slide.fragments) {
      visit(fragment.tree, undefined, (node, block) => {
        if (node.type !== 'inlineCode' && node.type !== 'strong' && node.type !== 'emphasis') return true;
        const value = node.type === 'inlineCode' ? (node as unknown as { value: string }).value : toString(node);
        // One word set off in prose is a term (*name*, `pods`), not a command: a command has arguments.
        // A phrase set off (*best case scenario*, *lets us change…*) starts with a word of the prose.
        const problem = /\S\s+\S/.test(value.trim()) ? commandProblem(value, words) : undefined;
        const where = node.position ?? block?.position;
        if (problem) out.push(warning('lint/unknown-command', at(where?.start.line ?? slide.position.line, where?.start.column ?? 1), problem.message, problem.hint));
        return false;
      });
    }
  }
  out.push(...duplicatedLines(text, at));
  return out;
}

/**
 * Words the authors write in their own sentences (code and emphasis left out, where commands are
 * set off), lower case: the course is its own dictionary.
 */
export function proseWords(files: Iterable<SourceFile>): Set<string> {
  const words = new Set<string>();
  for (const slide of [...files].flatMap((f) => f.slides)) {
    for (const tree of [...slide.fragments.map((f) => f.tree), ...(slide.notes ? [slide.notes.tree] : [])]) {
      visit(tree, undefined, (node) => {
        if (node.type === 'inlineCode' || node.type === 'strong' || node.type === 'emphasis' || node.type === 'code') return false;
        if (node.type === 'text') for (const w of (node as unknown as { value: string }).value.toLowerCase().match(/[a-z][a-z0-9-]*/g) ?? []) words.add(w);
        return true;
      });
    }
  }
  return words;
}

/**
 * Depth-first walk; `fn` returns false to skip a node's children (emphasis inside strong is one
 * command). Inline nodes may carry no position: `block` is the nearest ancestor that has one.
 */
function visit(node: Node, block: Node | undefined, fn: (node: Node, block: Node | undefined) => boolean): void {
  if (!fn(node, block)) return;
  const inner = node.position ? node : block;
  if ('children' in node) for (const child of (node as Parent).children as Node[]) visit(child, inner, fn);
}

/** Lines shorter than this repeat for good reasons (titles, `]`, short list items). */
const MIN_LINE = 20;

/**
 * Text pasted twice: three or more lines in a row (code aside) that already appeared in the same
 * order, or one long paragraph line repeated. Reported once per repeated run, at its start.
 */
function duplicatedLines(text: string, at: (line: number) => Diagnostic['position']): Diagnostic[] {
  const seq: { text: string; line: number }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((raw, i) => {
    const f = fenceMarker(raw);
    if (fence === undefined && f) fence = f.marker;
    else if (fence !== undefined && f && f.info === '' && f.marker[0] === fence[0]) fence = undefined;
    else if (fence === undefined && raw.trim().length >= MIN_LINE) seq.push({ text: raw.trim(), line: i + 1 });
  });
  const seen = new Map<string, number[]>();
  const out: Diagnostic[] = [];
  for (let i = 0; i < seq.length; ) {
    let best = 0;
    let from = -1;
    for (const j of seen.get(seq[i]!.text) ?? []) {
      let n = 0;
      while (j + n < i && i + n < seq.length && seq[j + n]!.text === seq[i + n]!.text) n++;
      if (n > best) [best, from] = [n, j];
    }
    if (best >= 3 || (best >= 1 && seq[i]!.text.length >= 120)) {
      const first = seq[from]!.line;
      const last = seq[from + best - 1]!.line;
      out.push(
        warning('lint/duplicate-text', at(seq[i]!.line), best === 1 ? `this paragraph already appears at line ${first}` : `these ${best} lines repeat lines ${first}–${last}`, 'delete the copy, or merge what differs'),
      );
    }
    const step = best >= 3 || (best >= 1 && seq[i]!.text.length >= 120) ? best : 1;
    for (let k = i; k < i + step; k++) seen.set(seq[k]!.text, [...(seen.get(seq[k]!.text) ?? []), k]);
    i += step;
  }
  return out;
}
