import { useApp } from './storeContext';
import { selectCursor, selectTrace } from '../store/selectors';
import { cpuKey } from './cpuKeys';

/**
 * Choose the interleaving yourself: a button per CPU, each with its key
 * (1–9, 0, then Shift+digit: see cpuKeys.ts). A CPU that cannot run says why.
 * Picking another CPU than the schedule's forks it.
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
        const why = st?.done ? `${th.name} has finished` : (st?.reason ?? '');
        const key = cpuKey(t);
        const hint = key ? `Key ${key.label}: ` : '';
        return (
          <button
            key={th.name}
            type="button"
            className={`cpu${next === t ? ' cpu-next' : ''}`}
            disabled={!st?.runnable}
            onClick={() => void choose(t)}
            {...(key && { 'aria-keyshortcuts': key.shortcut })}
            title={st?.runnable ? `${hint}run ${th.name} next (${th.role})` : `${hint}${why}`}
            data-testid={`choose-${t}`}
          >
            {key && <kbd>{key.label}</kbd>} {th.name}
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
