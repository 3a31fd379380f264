import { useEffect, useRef } from 'react';
import { useApp } from './storeContext';
import { selectCursor, selectTrace } from '../store/selectors';
import { functionLink } from './links';

/** Each thread's pseudo-C, the current line of every thread highlighted, linked to the kernel. */
export function CodePane() {
  const trace = useApp(selectTrace);
  const cursor = useApp(selectCursor);
  const root = useRef<HTMLElement>(null);
  useEffect(() => {
    // Keep every thread's current line in view inside its own scroll box, without moving the page.
    root.current?.querySelectorAll<HTMLElement>('li[data-current="true"]').forEach((li) => {
      const box = li.closest('ol');
      if (!box) return;
      const top = li.offsetTop; // ol.code is position: relative
      if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - li.offsetHeight)
        box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    });
  }, [cursor, trace]);
  if (!trace) return null;
  const status = trace.status[cursor] ?? [];
  const last = cursor > 0 ? trace.steps[cursor - 1] : undefined;
  return (
    <section className="code-pane" aria-label="Code" ref={root}>
      {trace.threads.map((th, t) => {
        const pc = status[t]?.pc ?? 0;
        return (
          <div key={th.name} className="code-thread" data-testid={`code-${t}`}>
            <h3>
              {th.name} <span className="role">{th.role}</span>
            </h3>
            <ol className="code" start={0}>
              {th.ops.map((op, i) => {
                const cls = [
                  i === pc && !status[t]?.done ? 'current' : '',
                  last?.thread === t && last.pc === i ? 'just-ran' : '',
                ].join(' ');
                return (
                  <li key={i} className={cls} data-current={i === pc ? 'true' : undefined}>
                    <a
                      href={functionLink(op.fn, op.file)}
                      target="_blank"
                      rel="noreferrer"
                      title={`${op.fn} — ${op.file}`}
                    >
                      {op.fn}
                    </a>
                    <code>{op.text}</code>
                  </li>
                );
              })}
            </ol>
          </div>
        );
      })}
    </section>
  );
}
