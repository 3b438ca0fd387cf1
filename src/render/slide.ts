import type { Element, ElementContent, Properties } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { SlideBadge, SlideVerification } from '../model/annotation.ts';
import type { DeckSlide } from '../model/deck.ts';
import { formatPosition } from '../model/position.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { t } from '../shared/locale.ts';
import { fragmentHtml, type MarkdownContext } from './markdown.ts';
import { verificationElements } from './verification.ts';

export interface SlideRenderOptions {
  /** Draw the slide's problems on it (`--lenient`). */
  lenient: boolean;
  badges: readonly SlideBadge[];
  /** `id` attribute for `name:` anchors; undefined when another slide already took the name. */
  anchor?: string;
  /**
   * Slide of another deck shown in this one (an English slide where the translation is
   * missing): it keeps its own language and takes no audience number, which counts this deck's slides.
   */
  inserted?: { lang?: string };
  /** File-level problems located on this slide, drawn with its own when lenient. */
  fileProblems?: readonly Diagnostic[];
  /** The lab's verdict from a verification report (`labdeck build --verify-report`). */
  verification?: SlideVerification;
}

/**
 * One slide as a Reveal `<section>`: `--` steps become fragments, `???` notes a Reveal notes
 * aside, the slide's classes land on the section, and `data-*` attributes tell later tools
 * (presenter, search, verification reports) where it comes from.
 */
export function renderSlide(slide: DeckSlide, ctx: MarkdownContext, options: SlideRenderOptions): string {
  const children: ElementContent[] = [];
  // The slide's marks (extra details, parity and verification badges), together: the theme
  // writes them down the slide's right edge, where no text goes.
  const marks: Element[] = [];
  if (slide.classes.includes('extra-details')) marks.push(flag('ld-flag-extra', t(ctx.locale, 'extraDetails')));
  if (options.badges.length > 0) marks.push(badges(options.badges));
  if (marks.length > 0) children.push(el('div', { className: ['ld-marks'] }, marks));
  if (options.verification) children.push(...verificationElements(options.verification, ctx.locale));

  slide.fragments.forEach((fragment, i) => {
    const content = [raw(fragmentHtml(fragment.tree, ctx))];
    if (i === 0) children.push(...content);
    else children.push(el('div', { className: ['fragment'], dataFragmentStep: String(i) }, content));
  });

  if (options.lenient) {
    const problems = [...slide.diagnostics, ...(options.fileProblems ?? []), ...ctx.diagnostics];
    if (problems.length > 0) children.push(diagnosticsBox(problems, t(ctx.locale, 'diagnosticsTitle')));
  }

  if (slide.notes && slide.notes.tree.children.length > 0) children.push(el('aside', { className: ['notes'] }, [raw(fragmentHtml(slide.notes.tree, ctx))]));

  const props: Properties = {
    className: slide.classes.length > 0 ? slide.classes : undefined,
    id: options.anchor,
    lang: options.inserted?.lang,
    dataSlideId: slide.id,
    dataNumber: options.inserted ? undefined : String(slide.number),
    dataInserted: options.inserted ? '' : undefined,
    dataVerified: options.verification?.state,
  };
  if (slide.kind === 'author' || slide.kind === 'invalid') props.dataSource = `${slide.file}:${slide.position.line}`;
  else props.dataGenerated = slide.kind;
  if (slide.chapter !== undefined) props.dataChapter = String(slide.chapter);
  return toHtml(el('section', props, children), { allowDangerousHtml: true });
}

function el(tagName: string, properties: Properties, children: ElementContent[]): Element {
  return { type: 'element', tagName, properties, children };
}

const text = (value: string): ElementContent => ({ type: 'text', value });

/** Already serialised HTML inside a hast tree (printed as is with `allowDangerousHtml`). */
const raw = (value: string): ElementContent => ({ type: 'raw', value }) as unknown as ElementContent;

/** The visible label of a slide class (extra details): an icon and a word in the deck's language. */
function flag(kind: string, label: string): Element {
  return el('div', { className: ['ld-flag', kind] }, [el('span', { className: ['ld-flag-icon'], ariaHidden: 'true' }, []), text(label)]);
}

function badges(list: readonly SlideBadge[]): Element {
  return el(
    'div',
    { className: ['ld-badges'] },
    list.map((b) =>
      el(b.href ? 'a' : 'span', { className: ['ld-badge', `badge-${b.kind}`], href: b.href, title: b.title }, [text(b.label)]),
    ),
  );
}

function diagnosticsBox(problems: readonly Diagnostic[], title: string): Element {
  return el('div', { className: ['ld-diagnostics'], role: 'alert' }, [
    el('p', { className: ['ld-diagnostics-title'] }, [text(title)]),
    el(
      'ul',
      {},
      problems.map((d) =>
        el('li', { className: [`severity-${d.severity}`] }, [
          el('code', {}, [text(formatPosition(d.position))]),
          text(` ${d.severity}: ${d.message} [${d.code}]`),
          ...(d.hint ? [el('br', {}, []), el('span', { className: ['ld-hint'] }, [text(`hint: ${d.hint}`)])] : []),
        ]),
      ),
    ),
  ]);
}
