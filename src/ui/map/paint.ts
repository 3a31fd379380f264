/**
 * Painting the outcome map on a canvas: every state, painted once per size
 * change, in slices of a frame each so that 20,000 states never make one
 * long task. Hover and focus marks are positioned boxes over it (markBoxes).
 */
import type { MapView } from '../../scenarios/mapLayout';
import { KIND_LABEL } from '../../scenarios/mapLayout';
import { count, groupLabel, kindColour, kindsLabel } from './describe';

/**
 * Milliseconds of painting per frame. Software canvases (no GPU) take tens of
 * microseconds a rectangle on a loaded machine, so a fixed count per frame
 * could still make a long task: the slice ends by the clock instead.
 */
const BUDGET_MS = 8;

export interface Painter {
  cancel(): void;
}

/** Sizes a canvas's backing store for `cssW × cssH` at the device's pixel ratio. */
export function sizeCanvas(canvas: HTMLCanvasElement, cssW: number, cssH: number): void {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(cssW * dpr));
  canvas.height = Math.max(1, Math.round(cssH * dpr));
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${cssH}px`;
}

/**
 * Paints the map into a scratch canvas, a slice per frame, then copies it
 * to `canvas` once: the visible canvas changes in one frame only (each
 * change of a canvas costs a commit of its whole bitmap, which without a
 * GPU is the largest cost of all). `onDone` fires after the copy.
 */
export function paintMap(
  canvas: HTMLCanvasElement,
  v: MapView,
  scale: number,
  onDone: () => void,
): Painter {
  let frame = 0;
  let inner: Painter | null = null;
  // The scratch canvas is allocated a frame after the visible one: two big allocations, two tasks.
  frame = requestAnimationFrame(() => {
    const scratch = document.createElement('canvas');
    scratch.width = canvas.width;
    scratch.height = canvas.height;
    const ctx = scratch.getContext('2d');
    if (!ctx) return;
    const s = canvas.width / v.width;
    ctx.setTransform(s, 0, 0, s, 0, 0);
    inner = paintBase(ctx, v, scale, () => {
      frame = requestAnimationFrame(() => {
        canvas.getContext('2d')?.drawImage(scratch, 0, 0);
        onDone();
      });
    });
  });
  return {
    cancel: () => {
      cancelAnimationFrame(frame);
      inner?.cancel();
    },
  };
}

/** Paints the map into `ctx`, a slice per animation frame; `onDone` fires after the last slice. */
function paintBase(
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
  // Two shades per kind (8-digit hex: alpha 0.92 and 0.78) tell neighbouring states apart
  // where no gap fits; fixed strings, so no globalAlpha change per state.
  const shades = v.kinds.map((k) => [`${kindColour(k.kinds)}eb`, `${kindColour(k.kinds)}c7`]);
  const r = v.rects;
  // A hairline between states, when a state is wide enough to spare it.
  const gap = 0.6 / scale;
  let next = 0;
  let frame = 0;
  const slice = () => {
    const t0 = performance.now();
    let p = next;
    for (; p < v.count; p++) {
      // The clock is read every 16 states: reading it costs too.
      if ((p & 15) === 0 && p > next && performance.now() - t0 > BUDGET_MS) break;
      const kind = v.groups[v.groupOf[p] as number]?.kind ?? 0;
      const x0 = r[p * 4] as number;
      const y0 = r[p * 4 + 1] as number;
      const w = (r[p * 4 + 2] as number) - x0;
      const h = (r[p * 4 + 3] as number) - y0;
      ctx.fillStyle = shades[kind]?.[p & 1] ?? '#888';
      if (w > 3 * gap && h > 3 * gap) ctx.fillRect(x0, y0, w - gap, h - gap);
      else ctx.fillRect(x0, y0, Math.max(w, 0.5 / scale), Math.max(h, 0.5 / scale));
    }
    next = p;
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

/**
 * Where to draw a hover or focus mark, in CSS pixels: the state's box, at
 * least 8 px across (a state too small to see still gets a visible mark).
 * The marks are positioned elements, not a second
 * canvas: a hover then repaints two small boxes, not a full-size bitmap.
 */
export function markBoxes(v: MapView, scale: number, p: number) {
  const box = (a: Float32Array, i: number, min: number) => {
    let [x0, y0, x1, y1] = rectOf(a, i).map((x) => x * scale) as [number, number, number, number];
    if (x1 - x0 < min) [x0, x1] = [(x0 + x1) / 2 - min / 2, (x0 + x1) / 2 + min / 2];
    if (y1 - y0 < min) [y0, y1] = [(y0 + y1) / 2 - min / 2, (y0 + y1) / 2 + min / 2];
    return { left: x0, top: y0, width: x1 - x0, height: y1 - y0 };
  };
  return { state: box(v.rects, p, 8) };
}

export function rectOf(a: Float32Array, i: number): [number, number, number, number] {
  return [a[i * 4] ?? 0, a[i * 4 + 1] ?? 0, a[i * 4 + 2] ?? 0, a[i * 4 + 3] ?? 0];
}
