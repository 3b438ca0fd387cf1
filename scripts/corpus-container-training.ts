/**
 * A generated course of container.training's shape and size, for the benchmarks: 12 manifests
 * over 236 shared chapter files (shared/, containers/, k8s/, swarm/ and a logistics file), the
 * same number of files per manifest and of manifests per file as the real checkout, its mix of
 * slides (≈11 % extra details, lab boxes with bash fences and hidden directives, YAML, Dockerfile,
 * Go and JSON fences, `--` steps, notes, classes some decks exclude), `@@INCLUDE[…]` of YAML files
 * from the parent folder, and 136 local images (PNG and SVG, 22 MB) referenced from the chapters.
 * Measured on the real one with scripts/corpus-shape.ts; no text of it is used here.
 *
 * Layout, as the real one: <root>/slides/{shared,containers,k8s,swarm}/*.md, <root>/slides/*.yml,
 * <root>/slides/images/, <root>/k8s/*.yaml (include targets), and what markmaker.py reads in
 * slides/: workshop.html (a remark.js page template of our own) and interstitials.txt.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same corpus. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Family = 'containers' | 'k8s' | 'swarm';

/**
 * The 12 decks: shared files, the family's chapters (how many, from which part of the family's
 * pool, so that decks overlap as the real ones do), parts of the table of contents, excluded classes.
 */
const DECKS: { id: string; family: Family; shared: number; logistics: boolean; chapters: number; from: number; to: number; parts: number; exclude: string[] }[] = [
  { id: 'intro-fullday', family: 'containers', shared: 8, logistics: true, chapters: 21, from: 0, to: 35, parts: 4, exclude: ['self-paced'] },
  { id: 'intro-selfpaced', family: 'containers', shared: 6, logistics: false, chapters: 48, from: 0, to: 49, parts: 9, exclude: ['in-person'] },
  { id: 'intro-twodays', family: 'containers', shared: 8, logistics: true, chapters: 37, from: 0, to: 45, parts: 9, exclude: ['self-paced'] },
  { id: 'kadm-fullday', family: 'k8s', shared: 7, logistics: true, chapters: 21, from: 70, to: 139, parts: 5, exclude: ['self-paced'] },
  { id: 'kadm-twodays', family: 'k8s', shared: 7, logistics: true, chapters: 53, from: 60, to: 139, parts: 10, exclude: ['self-paced'] },
  { id: 'kube-adv', family: 'k8s', shared: 7, logistics: true, chapters: 49, from: 40, to: 139, parts: 9, exclude: ['self-paced'] },
  { id: 'kube-fullday', family: 'k8s', shared: 10, logistics: true, chapters: 29, from: 0, to: 45, parts: 5, exclude: ['self-paced'] },
  { id: 'kube-halfday', family: 'k8s', shared: 11, logistics: true, chapters: 24, from: 0, to: 35, parts: 4, exclude: ['self-paced'] },
  { id: 'kube-selfpaced', family: 'k8s', shared: 10, logistics: false, chapters: 121, from: 0, to: 121, parts: 16, exclude: ['in-person'] },
  { id: 'kube-twodays', family: 'k8s', shared: 12, logistics: true, chapters: 57, from: 0, to: 90, parts: 9, exclude: ['self-paced'] },
  { id: 'mlops', family: 'k8s', shared: 6, logistics: true, chapters: 14, from: 20, to: 139, parts: 2, exclude: ['self-paced'] },
  { id: 'swarm', family: 'swarm', shared: 10, logistics: false, chapters: 33, from: 0, to: 33, parts: 4, exclude: ['in-person', 'btp-auto'] },
];
const POOL: Record<Family, number> = { containers: 49, k8s: 139, swarm: 33 };
/** shared/ holds the deck's front matter (title, about, toc…) and a few chapters every family uses. */
const SHARED_FRONT = ['title', 'about-slides', 'handson', 'toc'];
const SHARED_CHAPTERS = ['sampleapp', 'composedown', 'declarative', 'yaml', 'hastyconclusions', 'connecting', 'composescale', 'prereqs', 'thankyou', 'links'];
const IMAGES = 136;
const INCLUDES = 20;

/** The deck the page benchmark opens: the largest one (≈2,400 sections, as kube-selfpaced). */
export const LARGEST_DECK = 'kube-selfpaced';

const WORDS = 'pod node container image registry deployment service replica scale rollout label selector namespace volume secret config probe ingress network policy cluster control plane scheduler kubelet proxy api object manifest yaml resource limit request quota operator controller event log metric helm chart value template build layer cache port endpoint'.split(' ');
const COMMANDS = ['kubectl get pods', 'kubectl get nodes -o wide', 'kubectl get all', 'kubectl describe deployment web', 'kubectl logs deploy/pingpong --tail 1 --follow', 'kubectl delete pod --all', 'docker ps', 'docker run -ti alpine sh', 'kubectl apply -f ~/container.training/k8s/`web.yaml`', 'kubectl scale deployment worker --replicas=`10`', 'docker build -t hello .', 'kubectl get pods -l `app=web`', 'docker service ls', 'kubectl create deployment web --image=nginx', "kubectl get pods -o jsonpath='{.items[*].metadata.name}' | tr ' ' '\\n'", 'for N in $(seq 1 5); do kubectl scale deployment/worker --replicas=$N; sleep 2; done', 'curl -s http://$(kubectl get svc web -o jsonpath={.spec.clusterIP}):80/ | head -n 5', 'export KUBECONFIG=~/.kube/config-${NAME:-default}', 'docker run --rm -e HOME=/tmp -v "$PWD":/src -w /src golang:1.22 go build -o app .', 'kubectl apply -f- <<EOF\n  apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: blue\n  EOF'];

/**
 * Fences in the languages the real course uses a few times each (python 11, css 2, ruby,
 * javascript, sql, shell once): each costs the highlighter a grammar to compile, once per build.
 */
const RARE_FENCES: Record<number, string> = {
  ...Object.fromEntries([5, 25, 45, 65, 85, 105, 125, 145, 165, 185, 205].map((n, i) => [n, `\`\`\`python\nimport os\n\ndef handler(event):\n    return {"status": ${200 + i}, "path": os.environ.get("PATH")}\n\`\`\``])),
  17: '```javascript\nconst express = require("express");\nexpress().get("/", (req, res) => res.send(`hello ${req.ip}`)).listen(80);\n```',
  33: '```ruby\nrequire "sinatra"\nget("/") { "hello #{request.ip}" }\n```',
  41: '```css\n.slide pre { font-size: 0.8em; }\n```',
  42: '```css\nbody { color: #333; }\n```',
  57: '```sql\nSELECT name, count(*) FROM pods GROUP BY name;\n```',
  77: '```shell\n$ kubectl get pods\n```',
};

function chapterSlides(rnd: () => number, family: Family, title: string, images: string[], include: string | undefined, rare?: string): string {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  // Nearly every fence of the real course is distinct (1,645 distinct blocks for 1,840 fences).
  const command = () => {
    const base = pick(COMMANDS);
    const r = rnd();
    return r < 0.1 ? base : r < 0.55 ? `${base} -n ${pick(WORDS)}-${Math.floor(rnd() * 100)}` : `${base} --selector=${pick(WORDS)}=${pick(WORDS)}${Math.floor(rnd() * 1000)} -o ${rnd() < 0.5 ? 'yaml' : 'wide'}`;
  };
  // Slides per chapter: larger in the Kubernetes chapters, as in the real course.
  const spread = { k8s: 29, containers: 19, swarm: 13 }[family];
  const count = 3 + Math.floor(rnd() * spread) + (rnd() < 0.15 ? Math.floor(rnd() * spread) : 0);
  const slides: string[] = [`# ${title}\n\n- ${sentence(9)}\n\n- ${sentence(7)}\n`];
  let imageSlots = [...images];
  for (let s = 1; s < count; s++) {
    const lines: string[] = [];
    const r = rnd();
    const classes: string[] = [];
    if (r < 0.106) classes.push('extra-details');
    else if (r < 0.113) classes.push(rnd() < 0.5 ? 'in-person' : 'self-paced');
    const image = imageSlots.length > 0 && rnd() < (imageSlots.length / (count - s)) * 1.1 ? imageSlots.shift() : undefined;
    if (image && rnd() < 0.5) classes.push('pic');
    if (classes.length) lines.push(`class: ${classes.join(', ')}`);
    if (rnd() < 0.05) lines.push(`name: ${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${s}`);
    if (lines.length) lines.push('');
    lines.push(`## ${sentence(2 + Math.floor(rnd() * 4))}${rnd() < 0.3 ? ` \`${pick(WORDS)}\`` : ''}`, '');
    if (image) lines.push(`![${sentence(3)}](${image})`, '');
    const bullets = image ? Math.floor(rnd() * 2) : 2 + Math.floor(rnd() * 4);
    for (let b = 0; b < bullets; b++) {
      const decor = rnd();
      lines.push(`- ${sentence(5 + Math.floor(rnd() * 9))}${decor < 0.25 ? ` (\`${pick(COMMANDS).replaceAll('`', '')}\`)` : decor < 0.35 ? ` [${pick(WORDS)}](https://kubernetes.io/docs/${pick(WORDS)}/)` : decor < 0.4 ? ` *${sentence(2)}*` : ''}`, '');
      if (rnd() < 0.15) lines.push(`  (${sentence(8)})`, '');
    }
    if (rnd() < 0.068) lines.push('--', '', `- ${sentence(10)}`, '');
    const k = rnd();
    if (k < 0.21) {
      const name = rnd() < 0.2 ? 'exercise' : 'lab';
      lines.push(`.${name}[`, '');
      const steps = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < steps; i++) {
        const commands = 1 + (rnd() < 0.2 ? 1 : 0);
        lines.push(`- ${sentence(4)}:`, '  ```bash', ...Array.from({ length: commands }, () => `  ${command()}`), '  ```', '');
      }
      if (rnd() < 0.13) lines.push('<!--', '```wait Running```', '```key ^C```', '-->', '');
      lines.push(']', '');
    } else if (include || k < 0.245) {
      const n = 8 + Math.floor(rnd() * 20);
      if (include) {
        lines.push('```yaml', `@@INCLUDE[${include}]`, '```', '');
        include = undefined;
      } else {
        lines.push('```yaml', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${pick(WORDS)}`, 'spec:', ...Array.from({ length: n - 5 }, (_, i) => `${'  '.repeat(1 + (i % 3))}${pick(WORDS)}: ${pick(WORDS)}`), '```', '');
      }
    } else if (k < 0.275) lines.push('```', `NAME READY STATUS`, `${pick(WORDS)}-${s} 1/1 Running`, '```', '');
    else if (k < 0.29) lines.push('```dockerfile', `FROM alpine:3.${Math.floor(rnd() * 20)}`, `RUN apk add --no-cache ${pick(WORDS)}`, 'COPY . /src', 'CMD ["/src/app"]', '```', '');
    else if (k < 0.295) lines.push('```go', 'package main', '', 'import "fmt"', '', 'func main() {', `\tfmt.Println("${pick(WORDS)}")`, '}', '```', '');
    else if (k < 0.3) lines.push('```json', `{ "kind": "Pod", "metadata": { "name": "${pick(WORDS)}" } }`, '```', '');
    if (s === 1 && rare) lines.push(rare, '');
    if (rnd() < 0.038) lines.push('???', '', `${sentence(14)}`, '');
    slides.push(lines.join('\n'));
  }
  return `${slides.join('\n---\n\n')}\n`;
}

/** A PNG of about `bytes` bytes: random RGB pixels, stored without compression gains. */
function png(bytes: number, rnd: () => number): Buffer {
  const width = 400;
  const height = Math.max(1, Math.round(bytes / (width * 3 + 1)));
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let i = 0; i < raw.length; i++) raw[i] = i % (width * 3 + 1) === 0 ? 0 : Math.floor(rnd() * 256);
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

/** An SVG diagram of about `bytes` bytes (boxes and paths, as the real diagrams). */
function svg(bytes: number, rnd: () => number): string {
  const parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450" viewBox="0 0 800 450">'];
  let size = parts[0]!.length;
  while (size < bytes) {
    const x = Math.floor(rnd() * 760);
    const y = Math.floor(rnd() * 420);
    const p = `<path d="M${x} ${y} L${x + Math.floor(rnd() * 40)} ${y + Math.floor(rnd() * 30)} Q${x + 10} ${y + 5} ${x + 20} ${y + 20} Z" fill="#${Math.floor(rnd() * 0xffffff).toString(16).padStart(6, '0')}" stroke="#333"/>`;
    parts.push(p);
    size += p.length;
  }
  parts.push('</svg>');
  return parts.join('\n');
}

export interface ContainerTrainingCorpus {
  root: string;
  /** <root>/slides: manifests, chapters, images, markmaker's template. */
  slidesDir: string;
  manifests: string[];
}

/** remark.js page of the markmaker build, as container.training's workshop.html does it (minus its remote scripts). */
export const WORKSHOP_HTML = `<!DOCTYPE html>
<html>
<head>
<title>Training</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
<style>
body { font-family: sans-serif; }
.remark-slide-content { font-size: 25px; padding: 1em 3em; }
.remark-slide-content h1 { font-size: 2em; }
.remark-code { font-size: 0.8em; }
.lab, .exercise { background: #eef; border: 1px solid #99c; padding: 0 1em; }
.extra-details { background-image: linear-gradient(90deg, #fc0 1em, transparent 1em); }
.pic img { max-width: 100%; max-height: 450px; }
.debug { display: none; }
</style>
</head>
<body>
<script src="remark.min.js" type="text/javascript"></script>
<textarea id="source" style="display: none;">@@MARKDOWN@@</textarea>
<script>
var slideshow = remark.create({
  ratio: '16:9',
  highlightSpans: true,
  slideNumberFormat: '@@SLIDENUMBERPREFIX@@%current%/%total%',
  excludedClasses: [@@EXCLUDE@@]
});
document.title = "@@TITLE@@";
</script>
</body>
</html>
`;

export function generateContainerTrainingCorpus(root: string): ContainerTrainingCorpus {
  const slidesDir = join(root, 'slides');
  const write = (rel: string, data: string | Buffer) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), data);
  };
  const rnd = random(14);

  // Images: 136 files, three in four PNG (the real PNG/JPEG/GIF), one in four SVG, 22 MB in all;
  // each belongs to one chapter, a few are shown twice.
  const imageFiles: string[] = [];
  for (let i = 0; i < IMAGES; i++) {
    const isSvg = rnd() < 0.26;
    const size = Math.round((isSvg ? 100_000 : 150_000) * Math.exp((rnd() - 0.5) * 2.4));
    const name = `images/fig-${String(i).padStart(3, '0')}.${isSvg ? 'svg' : 'png'}`;
    write(`slides/${name}`, isSvg ? svg(size, rnd) : png(size, rnd));
    imageFiles.push(name);
  }
  for (let i = 0; i < INCLUDES; i++) {
    write(`k8s/include-${i}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: include-${i}\ndata:\n${Array.from({ length: 10 + (i % 15) }, (_, j) => `  key${j}: ${WORDS[(i + j) % WORDS.length]}`).join('\n')}\n`);
  }

  // Chapters of each family; images and includes spread over them.
  const chapterFiles: Record<Family | 'shared', string[]> = { containers: [], k8s: [], swarm: [], shared: [] };
  const families = [...(Object.keys(POOL) as Family[]).flatMap((f) => Array.from({ length: POOL[f] }, (_, i) => ({ family: f, i }))), ...SHARED_CHAPTERS.map((name, i) => ({ family: 'shared' as const, i, name }))];
  const imagesOf = new Map<string, string[]>();
  const chapterPaths = families.map((c) => ('name' in c ? `shared/${c.name}.md` : `${c.family}/chapter-${String(c.i).padStart(3, '0')}.md`));
  imageFiles.forEach((img, i) => {
    const target = chapterPaths[Math.floor(random(1000 + i)() * chapterPaths.length)]!;
    imagesOf.set(target, [...(imagesOf.get(target) ?? []), img, ...(i % 9 === 0 ? [img] : [])]);
  });
  families.forEach((c, n) => {
    const path = chapterPaths[n]!;
    const title = `${'name' in c ? `Shared ${c.name}` : `${c.family === 'k8s' ? 'Kubernetes' : c.family === 'swarm' ? 'Swarm' : 'Containers'} topic ${c.i}`}: ${WORDS[n % WORDS.length]} and ${WORDS[(n * 7) % WORDS.length]}`;
    const include = c.family === 'k8s' && c.i % 7 === 3 && c.i / 7 < INCLUDES ? `k8s/include-${Math.floor(c.i / 7)}.yaml` : undefined;
    write(`slides/${path}`, chapterSlides(random(5000 + n), c.family === 'shared' ? 'k8s' : c.family, title, imagesOf.get(path) ?? [], include, RARE_FENCES[n]));
    chapterFiles[c.family].push(path);
  });
  write('slides/shared/title.md', 'class: title, self-paced\n\n@@TITLE@@\n\n.nav[*Self-paced edition*]\n\n---\n\nclass: title, in-person\n\n@@TITLE@@<br/><br/>\n\n.footnote[**Slides: @@SLIDES@@**]\n');
  write('slides/shared/about-slides.md', '## About these slides\n\n- Chat: @@CHAT@@\n\n- Source: @@GITREPO@@\n\n- Typos? Send a pull request!\n\n---\n\nclass: extra-details\n\n## Extra details\n\n- Slides with this mark can be skipped the first time\n');
  write('slides/shared/handson.md', '## Hands-on sections\n\n- Lab boxes hold commands to run\n\n.lab[\n\n- Check that it works:\n  ```bash\n  kubectl version\n  ```\n\n]\n');
  write('slides/shared/toc.md', '@@TOC@@\n');
  write('slides/logistics.md', '## Logistics\n\n- Lunch at noon, breaks every 90 minutes\n\n- Questions welcome at any time\n');
  write('slides/interstitials.txt', Array.from({ length: 12 }, (_, i) => `interstitials/picture-${i}.jpg`).join('\n') + '\n');
  write('slides/workshop.html', WORKSHOP_HTML);

  // Manifests: front matter, then `parts` lists of chapters picked in order from the deck's range.
  const manifests: string[] = [];
  for (const [d, deck] of DECKS.entries()) {
    const pick = random(300 + d);
    const range = Array.from({ length: deck.to - deck.from }, (_, i) => deck.from + i);
    const chosen: number[] = [];
    for (let i = 0; i < range.length && chosen.length < deck.chapters; i++) if (pick() < (deck.chapters - chosen.length) / (range.length - i)) chosen.push(range[i]!);
    const shared = Array.from({ length: Math.max(0, deck.shared - SHARED_FRONT.length) }, (_, i) => `shared/${SHARED_CHAPTERS[(i + d) % SHARED_CHAPTERS.length]}.md`);
    const chapters = [...shared.slice(0, -1), ...chosen.map((i) => chapterFiles[deck.family][i]!), ...shared.slice(-1)];
    const perPart = Math.ceil(chapters.length / deck.parts);
    const parts = Array.from({ length: deck.parts }, (_, p) => chapters.slice(p * perPart, (p + 1) * perPart)).filter((p) => p.length > 0);
    const front = ['shared/title.md', ...(deck.logistics ? ['logistics.md'] : []), 'shared/about-slides.md', 'shared/handson.md', 'shared/toc.md'];
    const yaml = [
      'title: |',
      `  ${deck.family === 'swarm' ? 'Container Orchestration' : deck.family === 'k8s' ? 'Deploying and Scaling Applications' : 'Introduction to Containers'}`,
      `  with ${deck.family === 'swarm' ? 'Docker Swarm' : deck.family === 'k8s' ? 'Kubernetes' : 'Docker'}`,
      '',
      'chat: "[Chat](https://chat.example.com/training)"',
      'gitrepo: github.com/example/training',
      'slides: https://training.example.com/',
      '',
      'exclude:',
      ...deck.exclude.map((c) => `- ${c}`),
      '',
      'content:',
      ...front.map((f) => `- ${f}`),
      ...parts.flatMap((p) => ['-', ...p.map((f) => `  - ${f}`)]),
      '',
    ];
    const path = join(slidesDir, `${deck.id}.yml`);
    write(`slides/${deck.id}.yml`, yaml.join('\n'));
    manifests.push(path);
  }
  return { root, slidesDir, manifests };
}
