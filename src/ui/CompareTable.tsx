import { Fragment, useEffect, useRef } from 'react';
import type { Comparison, TraceData } from '../worker/protocol';
import { threadColour } from './CompareStrip';

interface Props {
  result: Comparison;
  line: number;
  talk: boolean;
  onLine(line: number): void;
}

function Cell({ trace, step }: { trace: TraceData; step: number | null }) {
  if (step === null) return <td className="pad" aria-label="no step" />;
  const ev = trace.steps[step];
  const th = trace.threads[ev?.thread ?? -1];
  const op = th?.ops[ev?.pc ?? -1];
  return (
    <td>
      <span className="cstep">step {step + 1}</span>{' '}
      <strong style={{ color: threadColour(ev?.thread ?? 0) }}>{th?.name}</strong>{' '}
      <code>{op?.text}</code>
      {ev?.outcome && <span className="cout"> → {ev.outcome}</span>}
    </td>
  );
}

/**
 * The aligned lines as locking.rst's two-column CPU tables: a heading per
 * story row, A's step beside B's, blank where one side's row is shorter.
 * The line just run is highlighted and kept in view.
 */
export function CompareTable({ result, line, talk, onLine }: Props) {
  const { a, b, lines, rows, divergence: d, onlyA, onlyB } = result;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current?.querySelector<HTMLElement>('tr.current');
    const host = box.current;
    // Scroll the box only, never the page: the page is where the user reads.
    if (el && host) host.scrollTop = Math.max(0, el.offsetTop - host.clientHeight / 2);
  }, [line]);
  return (
    <div className={`compare-table${talk ? ' talk' : ''}`} ref={box} data-testid="compare-table">
      <table>
        <thead>
          <tr>
            <th scope="col">line</th>
            <th scope="col">
              A: {a.variant} ({a.kernel})
            </th>
            <th scope="col">
              B: {b.variant} ({b.kernel})
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => {
            const marks = [
              d?.line === i ? 'first divergence' : null,
              onlyA?.line === i ? `only A loses data here: ${onlyA.kind}` : null,
              onlyB?.line === i ? `only B loses data here: ${onlyB.kind}` : null,
            ].filter((x) => x !== null);
            return (
              <Fragment key={i}>
                {(i === 0 || lines[i - 1]?.row !== l.row) && (
                  <tr className="row-head">
                    <th colSpan={3} scope="rowgroup">
                      Row {l.row + 1}
                      {rows[l.row]?.text ? `: ${rows[l.row]?.text}` : ''}
                    </th>
                  </tr>
                )}
                <tr
                  className={`${i === line - 1 ? 'current' : ''}${i >= line ? ' future' : ''}${marks.length ? ' marked' : ''}`}
                  data-line={i + 1}
                >
                  <td>
                    <button type="button" className="line-btn" onClick={() => onLine(i + 1)}>
                      {i + 1}
                    </button>
                    {marks.map((m) => (
                      <span key={m} className={`badge${m.startsWith('only') ? ' loss' : ''}`}>
                        {m}
                      </span>
                    ))}
                  </td>
                  <Cell trace={a} step={l.a} />
                  <Cell trace={b} step={l.b} />
                </tr>
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
