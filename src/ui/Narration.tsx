import { useApp } from './storeContext';
import { selectCursor, selectScenarios, selectTalk, selectTrace } from '../store/selectors';
import { chapterAt } from '../store/derive';
import { stepName } from '../timeline/labels';
import { codesIn, documentRows, rowReferences } from './glossary';
import { Glossed } from './Glossed';

/**
 * The current step in plain words: the document's row, the op just run and
 * its result. The op just run is step N at cursor N (see `stepNumber`), so
 * this line and the step counter always show the same number.
 */
export function Narration() {
  const trace = useApp(selectTrace);
  const cursor = useApp(selectCursor);
  const talk = useApp(selectTalk);
  const scenarios = useApp(selectScenarios);
  if (!trace) return null;
  const listing = scenarios.find((s) => s.id === trace.scenario);
  const variant = listing?.variants.find((v) => v.id === trace.variant);
  const chapter = chapterAt(trace, cursor);
  const ev = cursor > 0 ? trace.steps[cursor - 1] : undefined;
  const th = ev ? trace.threads[ev.thread] : undefined;
  const op = ev && th ? th.ops[ev.pc] : undefined;
  const row = chapter ? documentRows(rowReferences(chapter.text)) : null;
  // The codes this scenario's texts use, explained once for the whole page.
  const codes = talk
    ? []
    : codesIn([
        listing?.description ?? '',
        variant?.title ?? '',
        variant?.description ?? '',
        ...trace.chapters.map((c) => c.text),
        ...trace.threads.flatMap((t) => t.ops.map((o) => o.note ?? '')),
      ]);
  return (
    <>
      <section className="narration" aria-live="polite" data-testid="narration">
        {row && (
          <p className="chapter" data-testid="chapter">
            {row.rows && <span className="chapter-rows">{row.rows}: </span>}
            <Glossed text={row.rest} />
          </p>
        )}
        {ev && th && op ? (
          <p className="now">
            <span className="now-step">{stepName(cursor - 1).replace(/^s/, 'S')}</span>{' '}
            <strong>{th.name}</strong> in <code>{op.fn}</code>:{' '}
            <code className="now-text">{op.text}</code>
            {ev.outcome && <span className="now-outcome"> → {ev.outcome}</span>}
            {op.note && (
              <span className="now-note">
                {' '}
                <Glossed text={op.note} />
              </span>
            )}
          </p>
        ) : (
          <p className="now">
            Initial state. {trace.threads.map((t) => `${t.name}: ${t.role}`).join('. ')}.
          </p>
        )}
      </section>
      {codes.length > 0 && (
        <details className="glossary" data-testid="glossary">
          <summary>
            Codes in this scenario&apos;s text ({codes.map((c) => c.code).join(', ')})
          </summary>
          <p className="muted">
            Ids of op steps and scenarios in lockstep&apos;s model reference of the kernel code
            (pointing at a code in the text explains it too).
          </p>
          <dl>
            {codes.map((c) => (
              <div key={c.code}>
                <dt>{c.code}</dt>
                <dd>{c.meaning.replace(/^[^:]*: model reference, /, '')}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </>
  );
}
