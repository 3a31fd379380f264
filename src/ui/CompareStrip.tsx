import type { Comparison } from '../worker/protocol';

/** One colour per thread index, the same on both sides (the threads are the same actors). */
export const THREAD_COLOURS = [
  '#2563eb',
  '#b45309',
  '#047857',
  '#7c3aed',
  '#be185d',
  '#0e7490',
  '#4d7c0f',
  '#9f1239',
];
export const threadColour = (t: number) => THREAD_COLOURS[t % THREAD_COLOURS.length] ?? '#374151';

const LANE = 13;
const GUTTER = 118;
const HEAD = 18;
const SIDE_GAP = 10;

interface Props {
  result: Comparison;
  line: number;
  width: number;
  onLine(line: number): void;
}

/**
 * Both runs as two stacked timelines on one axis of aligned lines: a lane
 * per thread for A, then for B, so row i of A sits above row i of B. Row
 * boundaries are rules with the row's number; the first divergence and the
 * loss only one side has are marked; the cursor crosses both.
 */
export function CompareStrip({ result, line, width, onLine }: Props) {
  const { a, b, lines, rows } = result;
  const threads = a.threads.length;
  const sideH = threads * LANE;
  const height = HEAD + sideH * 2 + SIDE_GAP + 4;
  const n = Math.max(1, lines.length);
  const w = Math.max(200, width) - GUTTER - 8;
  const x = (i: number) => GUTTER + (i / n) * w;
  const cw = Math.max(1, w / n - 0.5);
  const top = (side: 0 | 1, t: number) => HEAD + side * (sideH + SIDE_GAP) + t * LANE;
  const rowStarts = rows.map((_, r) => lines.findIndex((l) => l.row === r));
  const d = result.divergence;
  const losses = [result.onlyA, result.onlyB].filter((x) => x !== null);
  const pick = (e: React.MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - box.left) / box.width) * width;
    if (px >= GUTTER) onLine(Math.min(n, Math.floor(((px - GUTTER) / w) * n) + 1));
  };
  return (
    <svg
      className="compare-strip"
      data-testid="compare-strip"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={`A and B on ${lines.length} aligned lines in ${rows.length} rows`}
      onClick={pick}
    >
      {[0, 1].map((side) =>
        (side === 0 ? a : b).threads.map((th, t) => (
          <text
            key={`${side}-${t}`}
            x={4}
            y={top(side as 0 | 1, t) + LANE - 3}
            className="lane-name"
          >
            {side === 0 ? 'A' : 'B'} {th.name}
          </text>
        )),
      )}
      {rowStarts.map((start, r) =>
        start < 0 ? null : (
          <g key={r} className="row-rule">
            <line x1={x(start)} x2={x(start)} y1={HEAD - 6} y2={height} />
            <text x={x(start) + 2} y={HEAD - 8}>
              {r + 1}
            </text>
          </g>
        ),
      )}
      {lines.map((l, i) =>
        ([l.a, l.b] as const).map((step, side) => {
          if (step === null) return null;
          const ev = (side === 0 ? a : b).steps[step];
          if (!ev) return null;
          return (
            <rect
              key={`${i}-${side}`}
              x={x(i)}
              y={top(side as 0 | 1, ev.thread) + 2}
              width={cw}
              height={LANE - 4}
              fill={threadColour(ev.thread)}
              opacity={i < line ? 1 : 0.35}
            />
          );
        }),
      )}
      {d && (
        <g className="mark-divergence" data-testid="strip-divergence">
          <line x1={x(d.line)} x2={x(d.line)} y1={HEAD} y2={height} />
          <title>{`First divergence, line ${d.line + 1}: ${d.detail}`}</title>
        </g>
      )}
      {losses.map((loss) => (
        <g key={loss.side} className="mark-loss" data-testid={`strip-loss-${loss.side}`}>
          <rect
            x={x(loss.line) - 3}
            y={top(loss.side === 'a' ? 0 : 1, 0)}
            width={Math.max(6, cw + 6)}
            height={sideH}
          />
          <title>{`Only ${loss.side.toUpperCase()} loses data here (line ${loss.line + 1}): ${loss.kind}`}</title>
        </g>
      ))}
      <line className="compare-cursor" x1={x(line)} x2={x(line)} y1={HEAD - 4} y2={height} />
    </svg>
  );
}
