import type { Expr, KernelRef, Loc, LockMode, Op, OpBody, Reg } from './model';

/**
 * Builds a thread's program op by op. Every method appends exactly one
 * atomic step with its pseudo-C text, except `synchronizeSrcu`, which the
 * kernel's single call needs two steps for (the grace period starts, then
 * returns). Kernel function and file come from the innermost `in(...)`.
 *
 * @example
 * const b = new ProgramBuilder({ fn: 'fast_page_fault', file: 'arch/x86/kvm/mmu/mmu.c' });
 * b.load('old', ['spte', 0], 'old_spte = mmu_spte_get_lockless(sptep);');
 * b.cas(['spte', 0], 'old', ['|', 'old', SPTE.W], 'ok', 'try_cmpxchg64(sptep, &old_spte, new_spte)');
 */
export class ProgramBuilder {
  private readonly ops: Op[] = [];
  private ref: KernelRef;
  private pendingLabel: string | undefined;
  /** Further labels that fall on the same op as pendingLabel. */
  private pendingAlias: string[] = [];
  private uniqCounter = 0;

  constructor(ref: KernelRef) {
    this.ref = ref;
  }

  /**
   * Ops appended inside `body` stand for kernel function `fn` (in `file`,
   * default: current); a KernelRef in place of `fn` also carries its `origin`.
   */
  in(fn: string | KernelRef, file: string | undefined, body: () => void): this {
    const saved = this.ref;
    this.ref =
      typeof fn === 'string' ? { fn, file: file ?? saved.file } : { ...fn, file: file ?? fn.file };
    try {
      body();
    } finally {
      this.ref = saved;
    }
    return this;
  }

  /** A fresh label name, for macros emitted more than once into one program. */
  uniq(prefix: string): string {
    return `${prefix}#${++this.uniqCounter}`;
  }

  /** Defines `name` at the next op appended. */
  label(name: string): this {
    if (this.pendingLabel === undefined) this.pendingLabel = name;
    else this.pendingAlias.push(name);
    return this;
  }

  op(body: OpBody, text: string, extra: { note?: string; label?: string } = {}): this {
    const op: Op = { ...body, fn: this.ref.fn, file: this.ref.file, text };
    if (this.ref.origin !== undefined) op.origin = this.ref.origin;
    const label = extra.label ?? this.pendingLabel;
    this.pendingLabel = undefined;
    if (label !== undefined) op.label = label;
    if (this.pendingAlias.length > 0) op.alias = this.pendingAlias;
    this.pendingAlias = [];
    if (extra.note !== undefined) op.note = extra.note;
    this.ops.push(op);
    return this;
  }

  set(dst: Reg, e: Expr, text: string, note?: string): this {
    return this.op({ k: 'set', dst, e }, text, { ...(note && { note }) });
  }
  load(dst: Reg, loc: Loc, text: string, note?: string): this {
    return this.op({ k: 'load', dst, loc }, text, { ...(note && { note }) });
  }
  store(loc: Loc, e: Expr, text: string, note?: string): this {
    return this.op({ k: 'store', loc, e }, text, { ...(note && { note }) });
  }
  cas(loc: Loc, expect: Expr, e: Expr, ok: Reg, text: string, note?: string): this {
    return this.op({ k: 'cas', loc, expect, e, ok }, text, { ...(note && { note }) });
  }
  xchg(loc: Loc, e: Expr, dst: Reg | undefined, text: string, note?: string): this {
    return this.op({ k: 'xchg', loc, e, ...(dst !== undefined && { dst }) }, text, {
      ...(note && { note }),
    });
  }
  rmw(
    loc: Loc,
    rop: '|' | '&' | '+',
    e: Expr,
    dst: Reg | undefined,
    text: string,
    note?: string,
  ): this {
    return this.op({ k: 'rmw', loc, rop, e, ...(dst !== undefined && { dst }) }, text, {
      ...(note && { note }),
    });
  }
  br(cond: Expr, to: string, text: string, note?: string): this {
    return this.op({ k: 'br', cond, to }, text, { ...(note && { note }) });
  }
  jmp(to: string, text: string, note?: string): this {
    return this.op({ k: 'jmp', to }, text, { ...(note && { note }) });
  }
  await(cond: Expr, why: string, text: string, note?: string): this {
    return this.op({ k: 'await', cond, why }, text, { ...(note && { note }) });
  }
  ret(text: string, note?: string): this {
    return this.op({ k: 'ret' }, text, { ...(note && { note }) });
  }
  nop(text: string, extra: { note?: string; label?: string } = {}): this {
    return this.op({ k: 'nop' }, text, extra);
  }
  lock(lock: string, mode: LockMode, text: string, note?: string): this {
    return this.op({ k: 'lock', lock, mode }, text, { ...(note && { note }) });
  }
  unlock(lock: string, mode: LockMode, text: string, note?: string): this {
    return this.op({ k: 'unlock', lock, mode }, text, { ...(note && { note }) });
  }
  srcuReadLock(domain: string, dst: Reg | undefined, text: string, note?: string): this {
    return this.op({ k: 'srcu_read_lock', domain, ...(dst !== undefined && { dst }) }, text, {
      ...(note && { note }),
    });
  }
  srcuReadUnlock(domain: string, text: string, note?: string): this {
    return this.op({ k: 'srcu_read_unlock', domain }, text, { ...(note && { note }) });
  }
  /** Two steps: the grace period starts (snapshot of readers), then the call returns. */
  synchronizeSrcu(domain: string, text: string, note?: string): this {
    this.op({ k: 'srcu_sync', domain, phase: 'start' }, `${text}  /* grace period starts */`, {
      ...(note && { note }),
    });
    return this.op(
      { k: 'srcu_sync', domain, phase: 'wait' },
      `${text}  /* returns: grace period over */`,
    );
  }
  access(slot: Expr, write: boolean, dst: Reg, text: string, note?: string): this {
    return this.op({ k: 'access', slot, write, dst }, text, { ...(note && { note }) });
  }
  flushTlbs(text: string, note?: string): this {
    return this.op({ k: 'flush_tlbs' }, text, { ...(note && { note }) });
  }
  markDirty(gfn: Expr, text: string, note?: string): this {
    return this.op({ k: 'mark_dirty', gfn }, text, { ...(note && { note }) });
  }
  gup(gfn: Expr, dst: Reg, atomic: boolean, text: string, note?: string): this {
    return this.op({ k: 'gup', gfn, dst, atomic }, text, { ...(note && { note }) });
  }
  putPage(pfn: Expr, text: string, note?: string): this {
    return this.op({ k: 'put_page', pfn }, text, { ...(note && { note }) });
  }
  unmapFree(gfn: Expr, text: string, note?: string): this {
    return this.op({ k: 'unmap_free', gfn }, text, { ...(note && { note }) });
  }
  migrate(gfn: Expr, text: string, note?: string): this {
    return this.op({ k: 'migrate', gfn }, text, { ...(note && { note }) });
  }
  gptWrite(gpte: Expr, e: Expr, text: string, note?: string): this {
    return this.op({ k: 'gpt_write', gpte, e }, text, { ...(note && { note }) });
  }
  harvestCopy(mask: Expr, text: string, note?: string): this {
    return this.op({ k: 'harvest_copy', mask }, text, { ...(note && { note }) });
  }

  build(): Op[] {
    if (this.pendingLabel !== undefined) this.nop('return;', { label: this.pendingLabel });
    this.pendingLabel = undefined;
    this.pendingAlias = [];
    return this.ops.slice();
  }
}
