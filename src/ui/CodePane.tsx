import { memo, useEffect, useRef } from 'react';
import { useApp } from './storeContext';
import { selectCursor, selectTrace } from '../store/selectors';
import { functionLink } from './links';
import type { TraceThread } from '../worker/protocol';

interface ThreadCodeProps {
  thread: TraceThread;
  index: number;
  /** Current line, or -1 when the thread has finished. */
  pc: number;
  /** The line this thread just ran, or -1. */
  ran: number;
  /** Kernel version the links point at. */
  kernel: string;
}

/**
 * One thread's code. Memoised on (pc, ran): a step changes at most one or two
 * threads' highlights, so the other threads' lists are not re-rendered, which
 * keeps stepping cheap in scenarios with many CPUs.
 */
const ThreadCode = memo(function ThreadCode({ thread, index, pc, ran, kernel }: ThreadCodeProps) {
  return (
    <div className="code-thread" data-testid={`code-${index}`}>
      <h3>
        {thread.name} <span className="role">{thread.role}</span>
      </h3>
      <ol className="code" start={0}>
        {thread.ops.map((op, i) => (
          <li
            key={i}
            className={[i === pc ? 'current' : '', i === ran ? 'just-ran' : ''].join(' ')}
            data-current={i === pc ? 'true' : undefined}
          >
            <a
              href={functionLink(op.fn, op.file, kernel)}
              target="_blank"
              rel="noreferrer"
              title={`${op.fn} — ${op.file}`}
            >
              {op.fn}
            </a>
            <code>{op.text}</code>
          </li>
        ))}
      </ol>
    </div>
  );
});

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
      {/* Each code line is a link: a hundred tab stops stand between the keyboard and the state. */}
      <button
        type="button"
        className="skip-link"
        onClick={() => document.getElementById('state')?.focus()}
      >
        Skip the code to the state
      </button>
      {trace.threads.map((th, t) => (
        <ThreadCode
          key={th.name}
          thread={th}
          index={t}
          pc={status[t]?.done ? -1 : (status[t]?.pc ?? 0)}
          ran={last?.thread === t ? last.pc : -1}
          kernel={trace.kernel}
        />
      ))}
    </section>
  );
}
