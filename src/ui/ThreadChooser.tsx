import { useApp } from './storeContext';
import { selectCursor, selectTrace } from '../store/selectors';

/**
 * Choose the interleaving yourself: a button per CPU (keys 1-9). A CPU that
 * cannot run says why. Picking another CPU than the schedule's forks it.
 */
export function ThreadChooser() {
  const trace = useApp(selectTrace);
  const cursor = useApp(selectCursor);
  const choose = useApp((s) => s.choose);
  const runToEnd = useApp((s) => s.runToEnd);
  if (!trace) return null;
  const status = trace.status[cursor] ?? [];
  const next = trace.steps[cursor]?.thread;
  const allDone = status.every((s) => s.done);
  return (
    <div className="chooser" role="group" aria-label="Choose the CPU that moves next">
      <span className="chooser-label">Next CPU:</span>
      {trace.threads.map((th, t) => {
        const st = status[t];
        const why = st?.done ? 'finished' : (st?.reason ?? '');
        return (
          <button
            key={th.name}
            type="button"
            className={`cpu${next === t ? ' cpu-next' : ''}`}
            disabled={!st?.runnable}
            onClick={() => void choose(t)}
            title={st?.runnable ? `${th.role} (key ${t + 1})` : why}
            data-testid={`choose-${t}`}
          >
            <kbd>{t + 1}</kbd> {th.name}
            {!st?.runnable && <span className="cpu-why">{st?.done ? 'done' : 'blocked'}</span>}
          </button>
        );
      })}
      <button
        type="button"
        onClick={() => void runToEnd()}
        disabled={allDone && cursor >= trace.steps.length}
      >
        Run to end
      </button>
      {status.some((s) => !s.runnable && !s.done) && (
        <ul className="blocked-list" aria-label="Blocked CPUs">
          {status.map((s, t) => (!s.runnable && !s.done ? <li key={t}>{s.reason}</li> : null))}
        </ul>
      )}
    </div>
  );
}
