/**
 * The editor's side of the lang worker. One parse at a time: a request while
 * another is under way stops that worker (its text is already stale) and
 * starts a fresh one, so a slow parse never queues up behind the typing.
 */
import type { ParseError } from '../lang';
import type { ParseReply, ParseRequest } from './langProtocol';

export interface ParseChecker {
  /** The text's errors (empty: it parses), or null when a newer request made this one stale. */
  check(text: string, kernel: string): Promise<ParseError[] | null>;
  dispose(): void;
}

export function createLangClient(): ParseChecker {
  let worker: Worker | null = null;
  let seq = 0;
  let pending: {
    id: number;
    key: string;
    promise: Promise<ParseError[] | null>;
    resolve: (r: ParseError[] | null) => void;
  } | null = null;

  const settle = (r: ParseError[] | null) => {
    const p = pending;
    pending = null;
    p?.resolve(r);
  };
  const stop = () => {
    worker?.terminate();
    worker = null;
  };
  const start = (): Worker => {
    // One literal expression: this is the form Vite detects and bundles.
    const w = new Worker(new URL('./lang.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<ParseReply>) => {
      if (pending?.id === e.data.id) settle(e.data.errors);
    };
    w.onerror = (e) => {
      e.preventDefault();
      stop();
      // The next check starts a new worker; this one says why there is no answer.
      settle([
        { line: 1, col: 1, message: `the parser worker failed (${e.message}); edit to retry` },
      ]);
    };
    return w;
  };

  return {
    check: (text, kernel) => {
      // The same text asked twice (the linter and Run) shares one parse.
      const key = `${kernel}\n${text}`;
      if (pending?.key === key) return pending.promise;
      if (pending) {
        settle(null);
        stop();
      }
      const w = worker ?? (worker = start());
      const id = ++seq;
      let resolve: (r: ParseError[] | null) => void = () => {};
      const promise = new Promise<ParseError[] | null>((r) => {
        resolve = r;
      });
      pending = { id, key, promise, resolve };
      const req: ParseRequest = { id, text, kernel };
      w.postMessage(req);
      return promise;
    },
    dispose: () => {
      settle(null);
      stop();
    },
  };
}
