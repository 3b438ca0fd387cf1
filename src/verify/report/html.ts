import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapeXml } from '../../shared/html.ts';
import { failureText } from './junit.ts';
import { firstFailure, type RunSummary } from './summary.ts';

/**
 * A self-contained HTML page: every unit, every slide with its status, and for each failure the
 * screen at that moment, the output, and links to file:line (file:// and the editor's vscode:// URL).
 */
export function htmlReport(run: RunSummary, castDir?: string): string {
  const body: string[] = [];
  body.push(`<h1>labdeck verify — <span class="${run.status}">${run.status}</span></h1>`);
  body.push(`<p>run ${escapeXml(run.run)} · ${(run.durationMs / 1000).toFixed(1)} s</p>`);
  for (const u of run.units) {
    const failed = u.slides.filter((s) => s.status === 'failed').length;
    body.push(`<section><h2 class="${u.status}">${escapeXml(u.title)} <small>${escapeXml(u.source)} · ${u.status} · ${u.slides.length} slides, ${failed} failed · ${(u.durationMs / 1000).toFixed(1)} s${u.namespace ? ` · namespace ${escapeXml(u.namespace)}` : ''}</small></h2>`);
    if (u.nodeLabel) body.push(`<p class="nodes">nodes: ${escapeXml(u.nodeLabel)}</p>`);
    if (u.simulation) body.push(`<p class="simulation">⚠ ${escapeXml(u.simulation)}</p>`);
    for (const w of u.warnings) body.push(`<p class="warning">${escapeXml(w)}</p>`);
    const casts = Object.entries(u.casts);
    if (casts.length && castDir)
      body.push(`<p>recordings (asciinema play FILE): ${casts.map(([pane, f]) => `<a href="${escapeXml(pathToFileURL(resolve(castDir, f)).href)}">pane ${escapeXml(pane)}</a>`).join(' · ')}</p>`);
    body.push('<table><tr><th>slide</th><th>title</th><th>source</th><th>status</th><th>steps</th></tr>');
    for (const s of u.slides) {
      const abs = resolve(u.root, s.slide.file);
      const counts = ['passed', 'failed', 'skipped'].map((k) => `${s.steps.filter((x) => x.status === k).length} ${k}`).join(', ');
      body.push(
        `<tr class="${s.status}"><td>${s.slide.number}</td><td>${escapeXml(s.slide.title)}</td><td>${link(abs, s.slide.file, s.slide.line)}</td><td>${s.status}${s.status === 'skipped' ? ` (${escapeXml(s.steps[0]?.reason ?? '')})` : ''}</td><td>${counts}</td></tr>`,
      );
    }
    body.push('</table>');
    for (const h of u.hooks.filter((x) => x.status === 'failed'))
      body.push(`<article class="failure"><h3>${escapeXml(h.step.text)} — ${link(resolve(u.root, h.step.file), h.step.file, h.step.line)}</h3><p class="message">${escapeXml(h.message ?? 'failed')}</p>${h.output ? `<pre>${escapeXml(h.output)}</pre>` : ''}</article>`);
    for (const s of u.slides) {
      const f = firstFailure(s);
      if (!f) continue;
      const abs = resolve(u.root, f.step.file);
      body.push(`<article class="failure" id="${escapeXml(`${u.id}-${s.slide.number}`)}"><h3>slide ${s.slide.number}: ${escapeXml(s.slide.title)} — ${link(abs, f.step.file, f.step.line)}</h3>`);
      body.push(`<p><code>${escapeXml(f.step.text)}</code></p><p class="message">${escapeXml(f.message ?? 'failed')}</p>`);
      if (f.screen !== undefined) body.push(`<h4>screen of pane ${escapeXml(f.pane ?? '')} at that moment</h4><pre class="screen">${escapeXml(f.screen)}</pre>`);
      if (f.output) body.push(`<h4>output</h4><pre>${escapeXml(f.output)}</pre>`);
      body.push(`<details><summary>plain text</summary><pre>${escapeXml(failureText(f))}</pre></details></article>`);
    }
    body.push('</section>');
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>labdeck verify ${escapeXml(run.run)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1200px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left}
.passed{color:#17702b}.failed{color:#b00020}.skipped,.interrupted{color:#777}tr.failed td{background:#fde8ea}
pre{background:#111;color:#eee;padding:1em;overflow:auto}.screen{border:3px solid #b00020}
.message{white-space:pre-wrap;font-weight:bold}.warning{color:#8a5a00}small{font-weight:normal;color:#555}
</style></head><body>
${body.join('\n')}
</body></html>
`;
}

function link(abs: string, file: string, line: number): string {
  return `<a href="${escapeXml(`vscode://file${abs}:${line}`)}">${escapeXml(`${file}:${line}`)}</a> <a href="${escapeXml(pathToFileURL(abs).href)}">(file)</a>`;
}
