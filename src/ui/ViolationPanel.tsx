import { useApp } from './storeContext';
import { selectCursor, selectTalk, selectTrace } from '../store/selectors';
import { stepName } from '../timeline/labels';

/**
 * Violations the run has reached at the cursor, with the steps that caused
 * them. Engine steps are 0-based indices; the text shows step numbers (index
 * + 1), and a link to step N puts the cursor after it, where the counter
 * reads "step N".
 */
export function ViolationPanel() {
  const trace = useApp(selectTrace);
  const cursor = useApp(selectCursor);
  const setCursor = useApp((s) => s.setCursor);
  const talk = useApp(selectTalk);
  if (!trace) return null;
  const reached = trace.violations.filter((v) => cursor > v.step);
  if (!trace.final)
    return (
      <p className="verdict pending" data-testid="verdict">
        The run is not finished: choose the next CPU, or Run to end.
      </p>
    );
  if (reached.length === 0) {
    // In talk mode the audience should meet the violation when the story gets there.
    if (talk && trace.violations.length > 0) return null;
    const ahead = trace.violations.map((v) => `${v.kind} at ${stepName(v.step)}`).join(', ');
    return (
      <p className={`verdict${ahead ? ' ahead' : ''}`} data-testid="verdict">
        {ahead ? `This run ends in a violation: ${ahead}.` : 'No violation in this run.'}
      </p>
    );
  }
  return (
    <section className="violations" aria-label="Violations" data-testid="violations">
      {reached.map((v) => (
        <article key={`${v.kind}${v.step}`} className="violation" data-testid="violation">
          <h3>
            <span className="kind">{v.kind}</span> at {stepName(v.step)}
          </h3>
          <p>{v.message}</p>
          {v.trail.length > 0 && (
            <ol className="trail">
              {v.trail.map((t) => {
                const ev = trace.steps[t.step];
                const th = ev ? trace.threads[ev.thread] : undefined;
                const op = ev && th ? th.ops[ev.pc] : undefined;
                return (
                  <li key={t.step}>
                    <button
                      type="button"
                      className="linklike"
                      onClick={() => setCursor(t.step + 1)}
                      data-testid="trail-step"
                    >
                      {stepName(t.step)}
                    </button>{' '}
                    <em>{t.role}</em>: {th?.name} <code>{op?.text}</code>
                    {ev?.outcome && <> → {ev.outcome}</>}
                  </li>
                );
              })}
            </ol>
          )}
        </article>
      ))}
    </section>
  );
}
