/**
 * Painting the outcome map on two stacked canvases: the base (every state,
 * painted once per size change, in slices of a frame each so that 20,000
 * states never make one long task) and the overlay (hover and focus,
 * repainted on every move: a couple of rectangles).
 */
import type { MapView } from '../../scenarios/mapLayout';
import { KIND_LABEL } from '../../scenarios/mapLayout';
import { count, groupLabel, kindColour, kindsLabel } from './describe';

/** States painted per frame: well under 50 ms even on a loaded machine. */
const SLICE = 2500;

export interface Painter {
  cancel(): void;
}

/** Sets a canvas's backing store for `cssW × cssH` at the device's pixel ratio; returns the context scaled to layout units. */
export function prepare(
  canvas: HTMLCanvasElement,
  cssW: number,
  cssH: number,
  v: Pick<MapView, 'width'>,
): CanvasRenderingContext2D | null {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(cssW * dpr));
  canvas.height = Math.max(1, Math.round(cssH * dpr));
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${cssH}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const s = (cssW / v.width) * dpr;
  ctx.setTransform(s, 0, 0, s, 0, 0);
  return ctx;
}

/** Paints the base map, a slice per animation frame; `onDone` fires after the last slice. */
export function paintBase(
  ctx: CanvasRenderingContext2D,
  v: MapView,
  scale: number,
  onDone: () => void,
): Painter {
  ctx.clearRect(0, 0, v.width, v.height);
  // Kind frames and labels first: the map's structure shows at once.
  v.kinds.forEach((k, i) => {
    const [x0, y0, x1, y1] = rectOf(v.kindRects, i);
    ctx.fillStyle = '#f4f4f4';
    ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    ctx.strokeStyle = kindColour(k.kinds);
    ctx.lineWidth = 1.5 / scale;
    ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
    const label = `${kindsLabel(k.kinds)}: ${count(k.outcomes)} state${k.outcomes === 1 ? '' : 's'}`;
    const px = 12 / scale;
    if (x1 - x0 > px * 4 && y1 - y0 > KIND_LABEL) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, y0, x1 - x0, KIND_LABEL);
      ctx.clip();
      ctx.fillStyle = '#222';
      ctx.font = `600 ${Math.min(px, KIND_LABEL * 0.7)}px system-ui, sans-serif`;
      ctx.textBaseline = 'middle';
      ctx.fillText(label, x0 + 4, y0 + KIND_LABEL / 2);
      ctx.restore();
    }
  });
  const colours = v.kinds.map((k) => kindColour(k.kinds));
  // A hairline between states, when a state is wide enough to spare it.
  const gap = 0.6 / scale;
  let next = 0;
  let frame = 0;
  const slice = () => {
    const end = Math.min(v.count, next + SLICE);
    for (let p = next; p < end; p++) {
      const g = v.groupOf[p] as number;
      const kind = v.groups[g]?.kind ?? 0;
      const [x0, y0, x1, y1] = rectOf(v.rects, p);
      const w = x1 - x0;
      const h = y1 - y0;
      ctx.fillStyle = colours[kind] ?? '#888';
      // Alternate shades tell neighbouring states apart where no gap fits.
      ctx.globalAlpha = p % 2 ? 0.78 : 0.92;
      if (w > 3 * gap && h > 3 * gap) ctx.fillRect(x0, y0, w - gap, h - gap);
      else ctx.fillRect(x0, y0, Math.max(w, 0.5 / scale), Math.max(h, 0.5 / scale));
    }
    ctx.globalAlpha = 1;
    next = end;
    if (next < v.count) frame = requestAnimationFrame(slice);
    else {
      paintGroupFrames(ctx, v, scale);
      onDone();
    }
  };
  slice();
  return { cancel: () => cancelAnimationFrame(frame) };
}

/** White frames around groups, and each group's key where it fits (on a light strip, clipped). */
function paintGroupFrames(ctx: CanvasRenderingContext2D, v: MapView, scale: number): void {
  const px = 11 / scale;
  for (let g = 0; g < v.groups.length; g++) {
    const [x0, y0, x1, y1] = rectOf(v.groupRects, g);
    ctx.strokeStyle = 'rgba(255,255,255,0.95)';
    ctx.lineWidth = 2 / scale;
    ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
    if ((x1 - x0) * scale < 90 || (y1 - y0) * scale < 20) continue;
    const label = groupLabel(v, g);
    ctx.save();
    ctx.beginPath();
    ctx.rect(x0, y0, x1 - x0, y1 - y0);
    ctx.clip();
    ctx.font = `${px}px system-ui, sans-serif`;
    const w = Math.min(ctx.measureText(label).width + px * 0.8, x1 - x0 - 2 / scale);
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    ctx.fillRect(x0 + 1 / scale, y0 + 1 / scale, w, px * 1.5);
    ctx.fillStyle = '#111';
    ctx.textBaseline = 'middle';
    ctx.fillText(label, x0 + px * 0.4, y0 + px * 0.8);
    ctx.restore();
  }
}

/** Hover and focus marks. A state too small to see gets a marker at least 8 px across. */
export function paintOverlay(
  ctx: CanvasRenderingContext2D,
  v: MapView,
  scale: number,
  hover: number,
  focus: number,
): void {
  ctx.clearRect(0, 0, v.width, v.height);
  const mark = (p: number, colour: string, width: number) => {
    if (p < 0 || p >= v.count) return;
    const g = v.groupOf[p] as number;
    const [gx0, gy0, gx1, gy1] = rectOf(v.groupRects, g);
    ctx.strokeStyle = 'rgba(0,0,0,0.55)';
    ctx.lineWidth = 1.5 / scale;
    ctx.strokeRect(gx0, gy0, gx1 - gx0, gy1 - gy0);
    let [x0, y0, x1, y1] = rectOf(v.rects, p);
    const min = 8 / scale;
    if (x1 - x0 < min) [x0, x1] = [(x0 + x1) / 2 - min / 2, (x0 + x1) / 2 + min / 2];
    if (y1 - y0 < min) [y0, y1] = [(y0 + y1) / 2 - min / 2, (y0 + y1) / 2 + min / 2];
    ctx.strokeStyle = colour;
    ctx.lineWidth = width / scale;
    ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
  };
  mark(hover, '#000', 2);
  mark(focus, '#1565c0', 3);
}

export function rectOf(a: Float32Array, i: number): [number, number, number, number] {
  return [a[i * 4] ?? 0, a[i * 4 + 1] ?? 0, a[i * 4 + 2] ?? 0, a[i * 4 + 3] ?? 0];
}
