import { useApp } from './storeContext';
import { selectCursor, selectTrace } from '../store/selectors';
import { chapterAt } from '../store/derive';

/** The current step in plain words: the document's row, the op just run and its result. */
export function Narration() {
  const trace = useApp(selectTrace);
  const cursor = useApp(selectCursor);
  if (!trace) return null;
  const chapter = chapterAt(trace, cursor);
  const ev = cursor > 0 ? trace.steps[cursor - 1] : undefined;
  const th = ev ? trace.threads[ev.thread] : undefined;
  const op = ev && th ? th.ops[ev.pc] : undefined;
  return (
    <section className="narration" aria-live="polite" data-testid="narration">
      {chapter && <p className="chapter">{chapter.text}</p>}
      {ev && th && op ? (
        <p className="now">
          <span className="now-step">Step {cursor - 1}</span> <strong>{th.name}</strong> in{' '}
          <code>{op.fn}</code>: <code className="now-text">{op.text}</code>
          {ev.outcome && <span className="now-outcome"> → {ev.outcome}</span>}
          {op.note && <span className="now-note"> {op.note}</span>}
        </p>
      ) : (
        <p className="now">
          Initial state. {trace.threads.map((t) => `${t.name}: ${t.role}`).join('. ')}.
        </p>
      )}
    </section>
  );
}
