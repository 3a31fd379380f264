import { useEffect, useRef, useState } from 'react';
import { useApp } from './storeContext';
import {
  selectComparison,
  selectKernel,
  selectScenarioId,
  selectScenarios,
  selectTalk,
  selectVariantId,
} from '../store/selectors';
import { cursorsAt } from '../store/compareSlice';
import type { Comparison } from '../worker/protocol';
import { CompareStrip } from './CompareStrip';
import { CompareTable } from './CompareTable';
import { KERNELS } from './ScenarioPicker';
import './compare.css';

/**
 * The builds B can be: every other variant on every kernel it exists in, as
 * `variant@kernel`. Scenario text has no variants, but its kernel calls run
 * the selected kernel's code, so B is the same text on another kernel (`@7.2`).
 */
function useOthers(): { value: string; label: string }[] {
  const scenarios = useApp(selectScenarios);
  const scenarioId = useApp(selectScenarioId);
  const variant = useApp(selectVariantId);
  const kernel = useApp(selectKernel);
  const text = useApp((s) => s.text);
  if (text !== null)
    return KERNELS.filter((k) => k !== kernel).map((k) => ({
      value: `@${k}`,
      label: `This text on ${k}`,
    }));
  const def = scenarios.find((s) => s.id === scenarioId);
  return (def?.variants ?? []).flatMap((v) =>
    v.kernels
      .filter((k) => !(v.id === variant && k === kernel))
      .map((k) => ({ value: `${v.id}@${k}`, label: `${v.title} — ${v.id}, ${k}` })),
  );
}

/** The first B that differs from A: the next variant on A's kernel, else A on another kernel. */
function defaultOther(others: { value: string }[], kernel: string): string {
  return (others.find((o) => o.value.endsWith(`@${kernel}`)) ?? others[0])?.value ?? '';
}

/**
 * "Compare with": the current run (A) beside another variant or kernel (B),
 * under the same story rows. Stepping here moves both sides, and the page's
 * own views (narration, state, timeline) follow A.
 */
export function ComparePanel() {
  const comparison = useApp(selectComparison);
  const talk = useApp(selectTalk);
  const kernel = useApp(selectKernel);
  const compareWith = useApp((s) => s.compareWith);
  const closeCompare = useApp((s) => s.closeCompare);
  const others = useOthers();
  const [picked, setPicked] = useState('');
  const choice = others.some((o) => o.value === picked) ? picked : defaultOther(others, kernel);
  const on = comparison.status !== 'off';
  // Talk mode is one screen: the control shows there only while a comparison is open.
  if (others.length === 0 || (talk && !on)) return null;
  return (
    <section className="compare" aria-label="Compare" data-testid="compare">
      <div className="compare-bar">
        <label>
          Compare with{' '}
          <select
            value={
              on
                ? comparison.other.includes('@')
                  ? comparison.other
                  : `${comparison.other}@${kernel}`
                : choice
            }
            data-testid="compare-pick"
            onChange={(e) => {
              setPicked(e.target.value);
              if (on) void compareWith(e.target.value);
            }}
          >
            {on && !others.some((o) => o.value === comparison.other) && (
              <option value={comparison.other}>{comparison.other}</option>
            )}
            {others.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        {on ? (
          <button type="button" onClick={closeCompare}>
            Close the comparison
          </button>
        ) : (
          <button type="button" data-testid="compare-open" onClick={() => void compareWith(choice)}>
            Compare side by side
          </button>
        )}
        {comparison.status === 'loading' && (
          <span className="muted" data-testid="compare-loading">
            Running both in the engine…
          </span>
        )}
      </div>
      {comparison.status === 'error' && (
        <p className="compare-error" role="alert" data-testid="compare-error">
          {comparison.message}
        </p>
      )}
      {comparison.status === 'ready' && (
        <CompareView result={comparison.result} line={comparison.line} talk={talk} />
      )}
    </section>
  );
}

function CompareView({ result, line, talk }: { result: Comparison; line: number; talk: boolean }) {
  const setLine = useApp((s) => s.setCompareLine);
  const host = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  useEffect(() => {
    const node = host.current;
    if (!node) return;
    const ro = new ResizeObserver(() => setWidth(Math.round(node.clientWidth)));
    ro.observe(node);
    return () => ro.disconnect();
  }, []);
  const { a, b, lines, divergence: d, onlyA, onlyB } = result;
  const n = lines.length;
  const at = cursorsAt(lines, line);
  const side = (t: typeof a) => `${t.variant} on ${t.kernel}`;
  const row = lines[Math.max(0, line - 1)]?.row ?? 0;
  return (
    <div className="compare-view" ref={host} data-testid="compare-view" data-line={line}>
      <p className="compare-sides">
        <strong>A</strong> {side(a)}: step {at.a} of {a.steps.length} · <strong>B</strong> {side(b)}
        : step {at.b} of {b.steps.length} · row {row + 1} of {result.rows.length}
        {result.bFollows === 'stops' && (
          <span className="muted">
            {' '}
            (B&apos;s story differs: each of its threads stops where A&apos;s did)
          </span>
        )}
      </p>
      <div className="compare-controls" role="toolbar" aria-label="Step both">
        <button type="button" onClick={() => setLine(0)} disabled={line === 0}>
          Start
        </button>
        <button type="button" onClick={() => setLine(line - 1)} disabled={line === 0}>
          Back both
        </button>
        <button
          type="button"
          data-testid="compare-next"
          onClick={() => setLine(line + 1)}
          disabled={line >= n}
        >
          Next both
        </button>
        <button type="button" onClick={() => setLine(n)} disabled={line >= n}>
          End
        </button>
        <span data-testid="compare-counter">
          line {line} / {n}
        </span>
        {d && (
          <button type="button" data-testid="goto-divergence" onClick={() => setLine(d.line + 1)}>
            First divergence: line {d.line + 1}
          </button>
        )}
        {[onlyA, onlyB].map(
          (loss) =>
            loss && (
              <button
                key={loss.side}
                type="button"
                className="loss"
                data-testid={`goto-loss-${loss.side}`}
                onClick={() => setLine(loss.line + 1)}
              >
                Only {loss.side.toUpperCase()} loses data: {loss.kind}, line {loss.line + 1}
              </button>
            ),
        )}
      </div>
      <p className="compare-summary" data-testid="compare-summary">
        {d ? `First divergence at line ${d.line + 1}: ${d.detail}.` : 'The two runs never diverge.'}{' '}
        {onlyA || onlyB
          ? [onlyA, onlyB]
              .filter((x) => x !== null)
              .map(
                (x) =>
                  `Only ${x.side.toUpperCase()} loses data: ${x.message} (${x.side.toUpperCase()} step ${x.step + 1}).`,
              )
              .join(' ')
          : a.violations.length + b.violations.length > 0
            ? 'Both end in the same kinds of violation.'
            : 'Neither loses data.'}
      </p>
      <CompareStrip result={result} line={line} width={width} onLine={setLine} />
      <CompareTable result={result} line={line} talk={talk} onLine={setLine} />
    </div>
  );
}
