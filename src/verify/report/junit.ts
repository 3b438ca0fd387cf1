import { escapeXml } from '../../shared/html.ts';
import { firstFailure, type RunSummary, type SlideResult, type StepEvent } from './summary.ts';

/** JUnit XML: a suite per deck or chapter, a case per slide, the failing step and its screen in the failure text. */
export function junitXml(run: RunSummary): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = count(run.units.flatMap((u) => u.slides));
  const hooks = run.units.flatMap((u) => u.hooks);
  total.tests += hooks.length;
  total.failures += hooks.filter((h) => h.status === 'failed').length;
  out.push(`<testsuites name="labdeck verify" tests="${total.tests}" failures="${total.failures}" skipped="${total.skipped}" time="${secs(run.durationMs)}">`);
  for (const u of run.units) {
    const c = count(u.slides);
    c.tests += u.hooks.length;
    c.failures += u.hooks.filter((h) => h.status === 'failed').length;
    out.push(
      `  <testsuite name="${escapeXml(u.title)}" id="${escapeXml(u.id)}" file="${escapeXml(u.source)}" tests="${c.tests}" failures="${c.failures}" skipped="${c.skipped}" time="${secs(u.durationMs)}" timestamp="${escapeXml(u.time)}">`,
    );
    if (u.namespace) out.push(`    <properties><property name="namespace" value="${escapeXml(u.namespace)}"/><property name="context" value="${escapeXml(u.context ?? '')}"/>${u.nodeLabel ? `<property name="nodes" value="${escapeXml(u.nodeLabel)}"/>` : ''}${u.simulation ? `<property name="simulation" value="${escapeXml(u.simulation)}"/>` : ''}</properties>`);
    for (const s of u.slides) {
      const name = `slide ${s.slide.number}${s.slide.title ? `: ${s.slide.title}` : ''}`;
      out.push(`    <testcase name="${escapeXml(name)}" classname="${escapeXml(u.id)}" file="${escapeXml(s.slide.file)}" line="${s.slide.line}" time="${secs(s.durationMs)}">`);
      const f = firstFailure(s);
      if (f) out.push(`      <failure message="${escapeXml(oneLine(f.message ?? 'failed'))}" type="${escapeXml(f.step.kind)}">${escapeXml(failureText(f))}</failure>`);
      else if (s.status === 'skipped') out.push(`      <skipped message="${escapeXml(s.steps[0]?.reason ?? 'skipped')}"/>`);
      out.push(`      <system-out>${escapeXml(s.steps.map(stepLine).join('\n'))}</system-out>`);
      out.push('    </testcase>');
    }
    for (const h of u.hooks) {
      out.push(`    <testcase name="${escapeXml(h.step.text)}" classname="${escapeXml(u.id)}" file="${escapeXml(h.step.file)}" line="${h.step.line}" time="${secs(h.durationMs)}">`);
      if (h.status === 'failed') out.push(`      <failure message="${escapeXml(oneLine(h.message ?? 'failed'))}" type="${h.step.kind}">${escapeXml(failureText(h))}</failure>`);
      if (h.output) out.push(`      <system-out>${escapeXml(h.output)}</system-out>`);
      out.push('    </testcase>');
    }
    if (u.status === 'interrupted') out.push('    <system-err>interrupted</system-err>');
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

export function failureText(f: StepEvent): string {
  const parts = [`${f.step.text}`, `at ${f.step.file}:${f.step.line} (slide ${f.slide.number})`, '', f.message ?? 'failed'];
  if (f.exitCode !== undefined) parts.push(`exit status: ${f.exitCode}`);
  if (f.output) parts.push('', 'output:', f.output.trimEnd());
  if (f.screen !== undefined) parts.push('', `screen of pane ${f.pane ?? ''}:`, f.screen);
  return parts.join('\n');
}

function stepLine(e: StepEvent): string {
  const status = e.status === 'skipped' ? `skipped (${e.reason ?? ''})` : e.status;
  return `[${status}] ${e.step.text} — ${e.step.file}:${e.step.line} (${e.durationMs} ms)${e.url ? ` ${e.url}` : ''}`;
}

function count(slides: SlideResult[]) {
  return { tests: slides.length, failures: slides.filter((s) => s.status === 'failed').length, skipped: slides.filter((s) => s.status === 'skipped').length };
}

const secs = (ms: number) => (ms / 1000).toFixed(3);
const oneLine = (s: string) => s.split('\n')[0]!;

