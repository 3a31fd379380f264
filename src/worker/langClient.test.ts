/**
 * The editor's parse client over a fake Worker: stale results are dropped, a
 * parse still running for older text is stopped, the same text shares one
 * parse, and a crashed worker gives a message and is replaced.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLangClient } from './langClient';
import type { ParseReply, ParseRequest } from './langProtocol';

class FakeWorker {
  static all: FakeWorker[] = [];
  sent: ParseRequest[] = [];
  terminated = false;
  onmessage: ((e: { data: ParseReply }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  constructor() {
    FakeWorker.all.push(this);
  }
  postMessage(req: ParseRequest) {
    this.sent.push(req);
  }
  terminate() {
    this.terminated = true;
  }
  reply(id: number, message?: string) {
    this.onmessage?.({ data: { id, errors: message ? [{ line: 1, col: 1, message }] : [] } });
  }
}

beforeEach(() => {
  FakeWorker.all = [];
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => vi.unstubAllGlobals());

describe('the lang worker client', () => {
  it('answers a check with the worker’s errors', async () => {
    const c = createLangClient();
    const p = c.check('C t', '6.12');
    const w = FakeWorker.all[0];
    expect(w?.sent[0]).toMatchObject({ text: 'C t', kernel: '6.12' });
    w?.reply(w.sent[0]?.id ?? -1, 'expected {');
    expect(await p).toEqual([{ line: 1, col: 1, message: 'expected {' }]);
  });

  it('newer text makes the running parse stale: null, worker stopped, late reply ignored', async () => {
    const c = createLangClient();
    const old = c.check('C a', '6.12');
    const first = FakeWorker.all[0];
    const next = c.check('C ab', '6.12');
    expect(await old).toBeNull();
    expect(first?.terminated).toBe(true);
    const second = FakeWorker.all[1];
    expect(second?.sent[0]?.text).toBe('C ab');
    // The stopped worker's answer (had it come) belongs to old text.
    first?.reply(first.sent[0]?.id ?? -1, 'stale error');
    second?.reply(second.sent[0]?.id ?? -1);
    expect(await next).toEqual([]);
  });

  it('the same text asked twice (linter and Run) shares one parse', async () => {
    const c = createLangClient();
    const a = c.check('C same', '6.12');
    const b = c.check('C same', '6.12');
    expect(FakeWorker.all).toHaveLength(1);
    expect(FakeWorker.all[0]?.sent).toHaveLength(1);
    FakeWorker.all[0]?.reply(FakeWorker.all[0].sent[0]?.id ?? -1);
    expect(await a).toEqual([]);
    expect(await b).toEqual([]);
  });

  it('a crashed worker gives a message, and the next check starts a new one', async () => {
    const c = createLangClient();
    const p = c.check('C t', '6.12');
    FakeWorker.all[0]?.onerror?.({ message: 'boom', preventDefault: () => {} });
    expect((await p)?.[0]?.message).toMatch(/parser worker failed \(boom\)/);
    const q = c.check('C t', '6.12');
    expect(FakeWorker.all).toHaveLength(2);
    FakeWorker.all[1]?.reply(FakeWorker.all[1].sent[0]?.id ?? -1);
    expect(await q).toEqual([]);
  });
});
