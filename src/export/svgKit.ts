/**
 * Small pieces for writing SVG as text: escaping, elements, and the talk
 * palette. The export sets every colour and font as a presentation
 * attribute, not through CSS classes, because slide tools (LibreOffice,
 * Keynote, PowerPoint) honour attributes but not all of them read <style>.
 */
import type { MarkCategory } from '../timeline/labels';

/** Okabe–Ito, as the timeline's talk mode (timeline.css, .tl-talk) uses it. */
export const PALETTE = {
  bg: '#ffffff',
  fg: '#000000',
  muted: '#333333',
  laneAlt: '#f2f2f2',
  rule: '#999999',
  control: '#bbbbbb',
  read: '#0072b2',
  write: '#e69f00',
  atomic: '#cc79a7',
  sync: '#000000',
  guest: '#009e73',
  host: '#56b4e9',
  locks: ['#000000', '#0072b2', '#009e73'],
  hatch: '#666666',
  wait: '#000000',
  waitBg: '#fff6d5',
  srcu: '#56b4e9',
  gp: '#cc79a7',
  violation: '#d55e00',
  racing: '#555555',
  veil: '#ffffff',
} as const;

export const CATEGORY_FILL: Record<MarkCategory, string> = {
  control: PALETTE.control,
  read: PALETTE.read,
  write: PALETTE.write,
  atomic: PALETTE.atomic,
  sync: PALETTE.sync,
  guest: PALETTE.guest,
  host: PALETTE.host,
};

/** Text colour on a category's fill: black on the light Okabe–Ito hues, white on the dark. */
export const CATEGORY_INK: Record<MarkCategory, string> = {
  control: '#000000',
  read: '#ffffff',
  write: '#000000',
  atomic: '#000000',
  sync: '#ffffff',
  guest: '#ffffff',
  host: '#000000',
};

/** Generic families only, so a slide tool without DejaVu still finds a monospace font. */
export const MONO = "'DejaVu Sans Mono', Menlo, Consolas, monospace";
export const SANS = "'DejaVu Sans', Arial, Helvetica, sans-serif";

export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export type Attrs = Record<string, string | number | undefined>;

function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${esc(typeof v === 'number' ? num(v) : v)}"`)
    .join('');
}

/** Numbers with at most two decimals: shorter files, same picture. */
export function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** An element; `children` are already-escaped markup, `text` is escaped here. */
export function el(name: string, a: Attrs, children: string | string[] = ''): string {
  const inner = Array.isArray(children) ? children.join('') : children;
  return inner ? `<${name}${attrs(a)}>${inner}</${name}>` : `<${name}${attrs(a)}/>`;
}

export function text(a: Attrs, content: string): string {
  return `<text${attrs(a)}>${esc(content)}</text>`;
}

/** A tooltip: slide tools ignore it, browsers show it on hover. */
export function title(content: string): string {
  return `<title>${esc(content)}</title>`;
}
