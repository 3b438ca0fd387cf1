import { inflateSync } from 'node:zlib';

/**
 * Just enough of a PDF reader to check what `labdeck export pdf` wrote, for the PDFs Chromium
 * (Skia) produces: pages in /Kids order, and each page's text through its fonts' ToUnicode
 * maps. Glyphs are placed one by one, so word spaces are not recovered: compare without spaces.
 */
export function readPdf(bytes: Buffer): { pages: string[]; links: string[] } {
  const text = bytes.toString('latin1');
  const objects = new Map<number, { dict: string; stream?: Buffer }>();
  for (const m of text.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
    const body = m[2]!;
    const at = body.search(/stream\r?\n/);
    if (at === -1) {
      objects.set(Number(m[1]), { dict: body });
      continue;
    }
    const start = m.index! + m[0].indexOf(body) + body.indexOf('\n', at) + 1;
    const dict = body.slice(0, at);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    let stream = bytes.subarray(start, start + length);
    if (/\/FlateDecode/.test(dict)) stream = inflateSync(stream);
    objects.set(Number(m[1]), { dict, stream });
  }
  const ref = (s: string, key: string) => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(s)?.[1]);

  const cmaps = new Map<number, Map<string, string>>();
  const cmapOf = (fontId: number) => {
    let map = cmaps.get(fontId);
    if (map) return map;
    map = new Map();
    const cmap = objects.get(ref(objects.get(fontId)?.dict ?? '', 'ToUnicode'))?.stream?.toString('latin1') ?? '';
    const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
    for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
      for (const p of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(p[1]!.toUpperCase(), utf16(p[2]!));
    for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
      for (const r of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
        const [lo, hi, dst] = [parseInt(r[1]!, 16), parseInt(r[2]!, 16), parseInt(r[3]!, 16)];
        for (let c = lo; c <= hi; c++) map.set(c.toString(16).toUpperCase().padStart(r[1]!.length, '0'), String.fromCharCode(dst + c - lo));
      }
    cmaps.set(fontId, map);
    return map;
  };

  const pageIds: number[] = [];
  const walk = (id: number) => {
    const dict = objects.get(id)?.dict ?? '';
    if (/\/Type \/Page\b/.test(dict)) return void pageIds.push(id);
    const kids = /\/Kids \[([^\]]*)\]/.exec(dict)?.[1] ?? '';
    for (const k of kids.matchAll(/(\d+) 0 R/g)) walk(Number(k[1]));
  };
  walk(ref(objects.get(ref(text.slice(text.lastIndexOf('trailer')), 'Root'))?.dict ?? '', 'Pages'));

  const pages = pageIds.map((id) => {
    const page = objects.get(id)!.dict;
    const resources = /\/Resources (\d+) 0 R/.exec(page) ? objects.get(ref(page, 'Resources'))!.dict : page;
    const fonts = new Map([...(/\/Font\s*<<([^>]*)>>/.exec(resources)?.[1] ?? '').matchAll(/\/(\w+) (\d+) 0 R/g)].map((f) => [f[1]!, Number(f[2])]));
    const contents = [...(/\/Contents \[([^\]]*)\]/.exec(page)?.[1] ?? `${ref(page, 'Contents')} 0 R`).matchAll(/(\d+) 0 R/g)];
    let out = '';
    for (const c of contents) {
      const ops = objects.get(Number(c[1]))?.stream?.toString('latin1') ?? '';
      let font = new Map<string, string>();
      for (const op of ops.matchAll(/\/(\w+) [\d.]+ Tf|<([0-9a-fA-F]*)>|(ET)/g)) {
        if (op[1]) font = cmapOf(fonts.get(op[1]) ?? -1);
        else if (op[3]) out += ' ';
        else for (const g of op[2]!.match(/.{4}/g) ?? []) out += font.get(g.toUpperCase()) ?? '';
      }
    }
    return out;
  });
  const links = [...text.matchAll(/\/URI \(([^)]*)\)/g)].map((m) => m[1]!);
  return { pages, links };
}
