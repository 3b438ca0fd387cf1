import { formatDiagnostic } from '../model/diagnostic.ts';
import { escapeHtml } from '../shared/html.ts';
import type { FileReport, Format, PairReport, ParityReport, SlideRef, Summary, WordChange } from './report.ts';

export { FORMATS, type Format } from './report.ts';

export interface FormatOptions {
  /** Colour function for terminals; identity otherwise. */
  color?: { red(s: string): string; yellow(s: string): string; green(s: string): string; dim(s: string): string; bold(s: string): string };
  /** Show `ok` pairs too (text and md list only what needs work by default). */
  all?: boolean;
}

export function formatReport(report: ParityReport, format: Format, options: FormatOptions = {}): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'md':
      return markdown(report, options);
    case 'html':
      return html(report);
    default:
      return text(report, options);
  }
}

const plain = { red: id, yellow: id, green: id, dim: id, bold: id };
function id(s: string) {
  return s;
}

const slideLabel = (r: SlideRef | undefined) => (r ? `${r.file}:${r.line} ${r.title ? `“${r.title}”` : `(${r.key})`}` : '—');

function summaryLine(s: Summary): string {
  const parts = [`${s.upToDate} % up to date`, `${s.enSlides} English / ${s.frSlides} translated slides`, `${s.wordsToTranslate} words to translate`, `${s.wordsToReview} to review`];
  const counts = Object.entries(s.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  if (counts) parts.push(counts);
  if (s.orphanStamps > 0) parts.push(`${s.orphanStamps} orphan stamp(s)`);
  return parts.join(' · ');
}

/** French-first material has nothing to compare yet: say so rather than print empty counts. */
function fileLine(f: FileReport): string {
  return !f.enExists && f.frExists && f.pairs.length === 0 ? 'French only: no English version yet' : summaryLine(f.summary);
}

/** Changed words with a few words of context, `[-old-]{+new+}`. */
export function compactDiff(diff: readonly WordChange[], context = 6): string {
  const out: string[] = [];
  diff.forEach((c, i) => {
    if (c.added) out.push(`{+${c.value}+}`);
    else if (c.removed) out.push(`[-${c.value}-]`);
    else {
      const words = c.value.split(/(\s+)/);
      const keepStart = i > 0 ? words.slice(0, context * 2).join('') : '';
      const keepEnd = i < diff.length - 1 ? words.slice(-context * 2).join('') : '';
      if (words.length <= context * 4) out.push(c.value);
      else out.push(`${keepStart}${keepStart || keepEnd ? ' … ' : '…'}${keepEnd}`);
    }
  });
  return out.join('').replace(/\n/g, ' ⏎ ');
}

function details(p: PairReport): string[] {
  const out: string[] = [];
  for (const d of p.divergence ?? []) {
    const what = d.kind === 'directive' ? 'directive' : d.kind;
    if (d.change === 'changed') out.push(`${what} differs (line ${d.line}): English \`${oneLine(d.en)}\`, French \`${oneLine(d.fr)}\``);
    else if (d.change === 'added') out.push(`${what} only in French${d.line ? ` (line ${d.line})` : ''}: \`${oneLine(d.fr)}\``);
    else out.push(`${what} missing in French: \`${oneLine(d.en)}\``);
  }
  if (p.stale) out.push(`English ${p.stale.parts.join(', ')} changed since the stamp: ${compactDiff(p.stale.diff)}`);
  for (const d of p.drift ?? []) out.push(d);
  return out;
}

const oneLine = (s: string | undefined) => (s ?? '').replace(/\n/g, ' ⏎ ');

function text(report: ParityReport, options: FormatOptions): string {
  const c = options.color ?? plain;
  const paint = (p: PairReport, s: string) => (p.severity === 'error' ? c.red(s) : p.severity === 'warning' ? c.yellow(s) : c.green(s));
  const lines: string[] = [];
  for (const f of report.files) {
    lines.push(c.bold(`${f.fr} ↔ ${f.en}`) + c.dim(`  ${fileLine(f)}`));
    for (const p of f.pairs) {
      if (!options.all && p.statuses[0] === 'ok') continue;
      const via = p.via ? c.dim(` [${p.via}${p.via === 'sequence' || p.via === 'move' ? ` ${p.similarity}` : ''}]`) : '';
      lines.push(`  ${paint(p, p.statuses.join(',').padEnd(26))} ${slideLabel(p.en)}  ↔  ${slideLabel(p.fr)}${via}`);
      for (const d of details(p)) lines.push(c.dim(`      ${d}`));
    }
    for (const o of f.orphanStamps) lines.push(`  ${c.red('orphan (stamp)'.padEnd(26))} ${o.frFile}#${o.key} → ${f.en}#${o.stamp.en}`);
    lines.push('');
  }
  for (const d of report.decks) lines.push(c.bold(`deck ${d.deck}${d.enDeck ? ` (from ${d.enDeck})` : ''}`) + `  ${summaryLine(d.summary)}`);
  lines.push(c.bold(`total (${report.lang})`) + `  ${summaryLine(report.summary)}`);
  if (report.diagnostics.length > 0) lines.push('', ...report.diagnostics.map(formatDiagnostic));
  return lines.join('\n') + '\n';
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(report: ParityReport, options: FormatOptions): string {
  const lines = [`# Translation parity (${report.lang})`, '', `**Total:** ${summaryLine(report.summary)}`, ''];
  if (report.decks.length > 0) {
    lines.push('| Deck | Up to date | Words to translate | Words to review | Missing | Stale | Divergent code |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const d of report.decks) {
      const s = d.summary;
      lines.push(`| ${d.deck} | ${s.upToDate} % | ${s.wordsToTranslate} | ${s.wordsToReview} | ${s.counts.missing} | ${s.counts.stale} | ${s.counts['divergent-code']} |`);
    }
    lines.push('');
  }
  for (const f of report.files) {
    lines.push(`## \`${f.fr}\` ↔ \`${f.en}\``, '', fileLine(f), '', '| Status | English | French | Details |', '|---|---|---|---|');
    for (const p of f.pairs) {
      if (!options.all && p.statuses[0] === 'ok') continue;
      lines.push(`| ${p.statuses.join(', ')} | ${mdCell(slideLabel(p.en))} | ${mdCell(slideLabel(p.fr))} | ${mdCell(details(p).join('<br>'))} |`);
    }
    for (const o of f.orphanStamps) lines.push(`| orphan stamp | ${mdCell(`${f.en}#${o.stamp.en}`)} | ${mdCell(`${o.frFile}#${o.key}`)} | the French slide is gone |`);
    lines.push('');
  }
  if (report.diagnostics.length > 0) lines.push('## Problems', '', ...report.diagnostics.map((d) => `- \`${mdCell(formatDiagnostic(d))}\``), '');
  return lines.join('\n');
}

function htmlDiff(diff: readonly WordChange[]): string {
  return diff.map((c) => (c.added ? `<ins>${escapeHtml(c.value)}</ins>` : c.removed ? `<del>${escapeHtml(c.value)}</del>` : escapeHtml(c.value))).join('');
}

function html(report: ParityReport): string {
  const rows = (f: FileReport) =>
    f.pairs
      .map((p) => {
        const extra = [...details({ ...p, stale: undefined } as PairReport).map(escapeHtml), ...(p.stale ? [`<pre class="diff">${htmlDiff(p.stale.diff)}</pre>`] : [])];
        return `<tr class="${p.severity}"><td>${escapeHtml(p.statuses.join(', '))}</td><td>${escapeHtml(slideLabel(p.en))}</td><td>${escapeHtml(slideLabel(p.fr))}</td><td>${extra.join('<br>')}</td></tr>`;
      })
      .join('\n');
  const files = report.files
    .map((f) => `<h2><code>${escapeHtml(f.fr)}</code> ↔ <code>${escapeHtml(f.en)}</code></h2>\n<p>${escapeHtml(summaryLine(f.summary))}</p>\n<table><thead><tr><th>Status</th><th>English</th><th>French</th><th>Details</th></tr></thead><tbody>\n${rows(f)}\n</tbody></table>`)
    .join('\n');
  const problems = report.diagnostics.length ? `<h2>Problems</h2><ul>${report.diagnostics.map((d) => `<li><code>${escapeHtml(formatDiagnostic(d))}</code></li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Translation parity (${escapeHtml(report.lang)})</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}
tr.error td:first-child{color:#b00020}tr.warning td:first-child{color:#8a6d00}tr.none td:first-child{color:#2e7d32}ins{background:#d4f8d4}del{background:#fbd4d4}pre.diff{white-space:pre-wrap;margin:0}</style></head>
<body><h1>Translation parity (${escapeHtml(report.lang)})</h1><p>${escapeHtml(summaryLine(report.summary))}</p>
${files}
${problems}
</body></html>
`;
}
