import { describe, expect, it } from 'vitest';
import { timelineSvg } from './svg';
import { canonical, everyVariant } from './testTraces';

/**
 * A strict little XML reader, enough for what the exporter writes: returns
 * the elements (name and attributes) in document order, and throws on
 * unbalanced tags, unquoted attributes, a stray `<` or a bare `&`.
 */
function parseXml(xml: string): { name: string; attrs: Record<string, string>; text: string }[] {
  const out: { name: string; attrs: Record<string, string>; text: string }[] = [];
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const entity = /&(?!(?:amp|lt|gt|quot|apos);)/;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < xml.length) {
    token.lastIndex = pos;
    m = token.exec(xml);
    if (!m) throw new Error(`not well-formed at ${pos}: ${xml.slice(pos, pos + 40)}`);
    pos = token.lastIndex;
    const [, close, name, attrText, selfClose, text] = m;
    if (text !== undefined) {
      if (entity.test(text)) throw new Error(`bare & in text: ${text}`);
      const top = out[out.length - 1];
      if (top && stack.length) top.text += text;
      continue;
    }
    if (close) {
      if (stack.pop() !== name) throw new Error(`</${name}> does not close the open element`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (attrText ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (entity.test(a[2] ?? '')) throw new Error(`bare & in ${a[1]}`);
      if ((a[1] ?? '') in attrs) throw new Error(`${a[1]} given twice on <${name}>`);
      attrs[a[1] ?? ''] = a[2] ?? '';
    }
    out.push({ name: name ?? '', attrs, text: '' });
    if (!selfClose) stack.push(name ?? '');
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('> <')}>`);
  return out;
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

describe('svg export', () => {
  it('every built-in variant: well-formed, nothing executable or external, every lane named', () => {
    for (const { id, trace } of everyVariant()) {
      const svg = timelineSvg(trace);
      const els = parseXml(svg.replace(/\n/g, ''));
      expect(els[0]?.name, id).toBe('svg');
      expect(
        els.filter((e) => e.name === 'script' || e.name === 'foreignObject'),
        id,
      ).toEqual([]);
      for (const e of els) {
        for (const [k, v] of Object.entries(e.attrs)) {
          expect(k, id).not.toMatch(/^on|href$/i);
          // url() only to the document's own definitions.
          if (v.includes('url(')) expect(v, id).toMatch(/^url\(#[\w-]+\)$/);
        }
      }
      const lanes = els.filter((e) => e.attrs['data-thread'] !== undefined);
      expect(
        lanes.map((e) => Number(e.attrs['data-thread'])),
        id,
      ).toEqual(trace.threads.map((_, t) => t));
      const texts = els.filter((e) => e.name === 'text').map((e) => decode(e.text));
      for (const th of trace.threads) expect(texts, id).toContain(th.name);
      // One flag per violation of the completed run.
      expect(
        els.filter((e) => e.attrs['data-violation']).map((e) => e.attrs['data-violation']),
        id,
      ).toEqual(trace.violations.map((v) => v.kind));
    }
  });

  it('ABA: arrows from every cause to the violation, and the slide sizes asked for', () => {
    const trace = canonical('aba');
    for (const width of [1920, 1280]) {
      const els = parseXml(timelineSvg(trace, { width }).replace(/\n/g, ''));
      expect(els[0]?.attrs.width).toBe(String(width));
      const arrows = els.filter((e) => e.attrs['data-from'] !== undefined);
      const v = trace.violations[0];
      expect(arrows.map((a) => Number(a.attrs['data-from'])).sort((a, b) => a - b)).toEqual(
        [...new Set([...(v?.causes ?? []), ...(v?.racing ?? [])])]
          .filter((s) => s !== v?.step)
          .sort((a, b) => a - b),
      );
      expect(arrows.every((a) => a.attrs['data-to'] === String(v?.step))).toBe(true);
    }
  });

  it('a window before the violation: fewer marks, no flag, later steps veiled', () => {
    const trace = canonical('aba');
    const whole = parseXml(timelineSvg(trace).replace(/\n/g, ''));
    const part = parseXml(timelineSvg(trace, { window: [0, 20], cursor: 10 }).replace(/\n/g, ''));
    const marks = (els: typeof whole) =>
      els.filter((e) => e.name === 'path' && e.attrs.d?.startsWith('M'));
    expect(marks(part).length).toBeLessThan(marks(whole).length);
    expect(part.filter((e) => e.attrs['data-violation'])).toEqual([]);
    expect(part.some((e) => e.name === 'rect' && e.attrs['fill-opacity'] === '0.7')).toBe(true);
    expect(part.filter((e) => e.name === 'text').map((e) => e.text)).toContain('step 10');
  });
});
