import { useApp } from './storeContext';
import { exploreKey } from '../store/exploreSlice';
import type { ExploreReport } from '../scenarios/report';

const LOSES: Record<string, string> = {
  'lost-dirty-log': 'lose a gfn from the dirty log',
  'lost-dirty-bit': "lose a page's Dirty bit",
  'stale-mapping': 'map a pfn the host no longer uses for the gfn',
  deadlock: 'deadlock',
};

const fmt = (n: number) => (n >= 1e9 ? n.toExponential(2) : Math.round(n).toLocaleString('en-US'));
const BUDGET = 2_000_000;

/** The verdict over every interleaving, in words, with the outcomes and their witnesses. */
function Results({ report }: { report: ExploreReport }) {
  const replay = useApp((s) => s.replay);
  const kinds = Object.entries(report.violationsByKind);
  const reduced = report.reduction !== 'none';
  const violating = report.outcomes.filter((o) => o.violations.length > 0).length;
  return (
    <div className="explore-results" data-testid="explore-results">
      {!report.complete && (
        <p className="explore-incomplete">
          Budget reached after {fmt(report.states)} states: the search is incomplete, and what it
          found covers only the states it reached.
        </p>
      )}
      <p className="explore-verdict" data-testid="explore-verdict">
        {kinds.length === 0
          ? `None of the ${fmt(report.executions)} ${reduced ? 'explored ' : ''}interleavings loses data.`
          : kinds
              .map(
                ([k, n]) =>
                  `${fmt(n)} of ${fmt(report.executions)} ${reduced ? 'explored ' : ''}interleavings ${LOSES[k] ?? k}.`,
              )
              .join(' ')}{' '}
        {report.distinctOutcomes} distinct final state{report.distinctOutcomes === 1 ? '' : 's'},{' '}
        {violating} with a violation; {fmt(report.states)} states in {fmt(report.ms)} ms (
        {report.reduction}).
      </p>
      {report.lockRules.length > 0 && (
        <ul className="lock-rules" data-testid="lock-rules">
          {report.lockRules.map((r) => (
            <li key={r.message} className="bad">
              <strong>{r.kind}</strong>: {r.message}
            </li>
          ))}
        </ul>
      )}
      {report.counterexample && (
        <p>
          Shortest counterexample found:{' '}
          <button type="button" onClick={() => void replay(report.counterexample?.schedule ?? '')}>
            Replay counterexample
          </button>{' '}
          <code className="schedule">{report.counterexample.schedule}</code>
        </p>
      )}
      <details>
        <summary>Final states ({Math.min(report.outcomes.length, 50)} shown)</summary>
        <ul className="outcomes">
          {report.outcomes.slice(0, 50).map((o, i) => (
            <li key={i} className={o.violations.length ? 'bad' : 'ok'}>
              {o.violations.length ? o.violations.join(', ') : 'no violation'} ({fmt(o.executions)}{' '}
              {o.executions === 1 ? 'interleaving' : 'interleavings'}){' '}
              <button
                type="button"
                onClick={() => void replay(o.witness)}
                aria-label={`Replay outcome ${i + 1}`}
              >
                Replay
              </button>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

/** Explore every interleaving in a worker: progress, Cancel, results. */
export function ExplorePanel() {
  const exploration = useApp((s) => s.exploration);
  const key = useApp(exploreKey);
  const explore = useApp((s) => s.explore);
  const cancel = useApp((s) => s.cancelExplore);
  const mine = exploration.status !== 'idle' && exploration.key === key;
  return (
    <section className="explore" aria-label="Explore every interleaving" data-testid="explore">
      <div className="explore-bar">
        {exploration.status === 'running' && mine ? (
          <>
            <progress
              max={BUDGET}
              value={exploration.progress?.states ?? 0}
              aria-label="Exploration progress"
            />
            <span data-testid="explore-progress">
              {fmt(exploration.progress?.states ?? 0)} states, {exploration.progress?.outcomes ?? 0}{' '}
              final states ({exploration.progress?.violatingOutcomes ?? 0} violating),{' '}
              {fmt(exploration.statesPerSecond)} states/s
            </span>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" onClick={() => void explore({ budget: BUDGET })}>
            Explore all interleavings
          </button>
        )}
        {exploration.status === 'cancelled' && mine && (
          <span data-testid="explore-cancelled">Cancelled.</span>
        )}
        {exploration.status === 'error' && mine && (
          <span className="bad">{exploration.message}</span>
        )}
      </div>
      {exploration.status === 'done' && mine && <Results report={exploration.report} />}
    </section>
  );
}
