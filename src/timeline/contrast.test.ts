import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Text in the timeline is SVG, which axe does not measure reliably: this
 * checks every label colour against what it is drawn on, in both palettes,
 * straight from timeline.css, so a palette edit cannot drop below WCAG AA.
 */
const css = readFileSync(new URL('./timeline.css', import.meta.url), 'utf8');

function block(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no '${selector}' block in timeline.css`);
  const body = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries(
    [...body.matchAll(/(--tl-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2]]),
  );
}

const normal = block('.tl-root');
const talk = { ...normal, ...block('.tl-root.tl-talk') };

function rgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m?.[1]) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

// [what, text colour, background], as variables or literal colours.
const PAIRS: [string, string, string][] = [
  ['thread name', '--tl-fg', '--tl-lane-alt'],
  ['thread role, axis', '--tl-muted', '--tl-bg'],
  ['function label on an odd lane', '--tl-muted', '--tl-lane-alt'],
  ['label on a write-held lock', '--tl-on-solid', '--tl-lock-0'],
  ['label on a second lock', '--tl-on-solid', '--tl-lock-1'],
  ['label on a third lock', '--tl-on-solid', '--tl-lock-2'],
  ['read-held lock label (haloed)', '--tl-fg', '--tl-lock-read-bg'],
  ['why a CPU waits', '--tl-wait', '--tl-wait-bg'],
  ['violation flag', '--tl-on-solid', '--tl-violation'],
  ['cause flag', '--tl-cause', '--tl-bg'],
  ['label on a read mark', '--tl-fg', '--tl-bg'],
  ['label on local work', '--tl-fg', '--tl-control'],
];
const NORMAL_MARKS: [string, string, string][] = [
  ['label on a store', '--tl-on-solid', '--tl-write'],
  ['label on an atomic', '--tl-on-solid', '--tl-atomic'],
  ['label on a lock op', '--tl-on-solid', '--tl-sync'],
  ['label on host work', '--tl-fg', '--tl-host'],
];
// Talk mode draws black labels on its lighter Okabe–Ito marks (timeline.css).
const TALK_MARKS: [string, string, string][] = [
  ['label on a store', '#000000', '--tl-write'],
  ['label on an atomic', '#000000', '--tl-atomic'],
  ['label on a lock op', '--tl-on-solid', '--tl-sync'],
  ['label on host work', '#000000', '--tl-host'],
];

describe.each([
  ['normal', normal, [...PAIRS, ...NORMAL_MARKS]],
  ['talk', talk, [...PAIRS, ...TALK_MARKS]],
] as const)('timeline text contrast, %s palette', (_, vars, pairs) => {
  const colour = (v: string) => (v.startsWith('--') ? (vars[v] ?? `missing ${v}`) : v);
  it.each(pairs)('%s: at least 4.5:1', (_what, fg, bg) => {
    expect(contrast(colour(fg), colour(bg))).toBeGreaterThanOrEqual(4.5);
  });
});
