import type { Ctx } from './ctx';
import type { Layout } from './layout';
import { SPTE, isShadowPresentPte, spteAdEnabled, sptePfn } from './spte';
import { ringPush } from './dirtyRing';

/**
 * The machine outside the kernel's code: the vCPU's TLB and page walker, the
 * host's page allocator and GUP, and the ghost bookkeeping that records where
 * guest writes really land. Each method is the effect of one atomic step.
 */

const TLB_VALID = 1;
const TLB_W = 2;
const TLB_DIRTY = 4;
const TLB_PFN_SHIFT = 4;

export const tlbEntry = (pfn: number, w: boolean, dirty: boolean): number =>
  TLB_VALID | (w ? TLB_W : 0) | (dirty ? TLB_DIRTY : 0) | (pfn << TLB_PFN_SHIFT);
export const decodeTlb = (e: number) =>
  e & TLB_VALID
    ? { valid: true, pfn: e >>> TLB_PFN_SHIFT, w: (e & TLB_W) !== 0, dirty: (e & TLB_DIRTY) !== 0 }
    : { valid: false, pfn: 0, w: false, dirty: false };

export class Hardware {
  readonly slots: number;
  readonly vcpus: number;
  readonly pfns: number;
  readonly gfns: number;
  private readonly tlb: boolean;
  /** Each array's place, by name: a plain object, where a constant name is a fast look-up. */
  private readonly specs: Record<string, { base: number; len: number } | undefined> = {};

  constructor(private readonly layout: Layout) {
    for (const [name, spec] of layout.arrays) this.specs[name] = { base: spec.base, len: spec.len };
    this.slots = layout.machine.slots.length;
    this.vcpus = layout.machine.vcpus;
    this.pfns = layout.machine.pfns;
    this.gfns = layout.machine.gfnNames.length;
    this.tlb = layout.machine.tlb ?? true;
  }

  /** layout.index(name, i) without its Map look-up: a guest access asks for several per step. */
  private at(name: string, i: number): number {
    const spec = this.specs[name];
    // Bad names and indices: layout.index throws its own message.
    const ok = spec !== undefined && i >= 0 && i < spec.len && i === Math.floor(i);
    return ok ? spec.base + i : this.layout.index(name, i);
  }

  private gfnName(g: number): string {
    return this.layout.machine.gfnNames[g] ?? `gfn${g}`;
  }

  /**
   * A guest load or store by vCPU `v` to the page mapped by SPTE `slot`.
   * Returns 0 when the access completed, 1 on a page fault (VM-exit).
   * A TLB hit needs no SPTE access; the first write through an entry that
   * has not cached Dirty re-walks, as hardware does, to set D.
   */
  access(c: Ctx, v: number, slot: number, write: boolean): number {
    const tlbIx = this.at('tlb', v * this.slots + slot);
    const e = this.tlb ? decodeTlb(c.read(tlbIx)) : decodeTlb(0);
    if (e.valid && (!write || (e.w && e.dirty))) {
      c.outcome = 'TLB hit';
      if (write && c.read(this.at('ghost_shadowed', slot))) {
        c.write(this.at('ghost_stale_write', slot), 1);
        c.outcome = 'TLB hit on a stale writable entry: KVM never sees this write';
      }
      this.land(c, e.pfn, write);
      return 0;
    }
    const spteIx = this.at('spte', slot);
    const s = c.read(spteIx);
    const allowed = isShadowPresentPte(s) && (write ? s & SPTE.W : s & SPTE.R);
    if (!allowed) {
      // The faulting translation is not kept: the retry walks again.
      if (e.valid) c.write(tlbIx, 0);
      c.outcome = write ? 'write fault (EPT violation / #PF)' : 'read fault';
      return 1;
    }
    let n = s;
    if (spteAdEnabled(s)) n |= SPTE.A | (write ? SPTE.D : 0);
    if (n !== s) c.rmw(spteIx, n);
    // Without A/D bits there is no Dirty to set: a writable entry serves writes at once.
    const dirty = !spteAdEnabled(n) || (n & SPTE.D) !== 0;
    if (this.tlb) c.write(tlbIx, tlbEntry(sptePfn(n), (n & SPTE.W) !== 0, dirty));
    c.outcome = write ? 'walk, set A/D, write' : 'walk, fill TLB, read';
    this.land(c, sptePfn(n), write);
    // PML: setting Dirty also logs the gfn (the buffer's flush is folded in, see pmlLog).
    if (this.layout.machine.pml && n & SPTE.D && !(s & SPTE.D))
      this.pmlLog(c, v, c.read(this.at('spgfn', slot)));
    return 0;
  }

  /** The data access itself; a write bumps the page version and the ghost flags. */
  private land(c: Ctx, pfn: number, write: boolean): void {
    if (!write) return;
    c.rmw(this.at('page_data', pfn), (c.s[this.at('page_data', pfn)] ?? 0) + 1);
    c.write(this.at('ghost_written', pfn), 1);
    const owner = c.s[this.at('page_owner', pfn)] ?? -1;
    if (owner >= 0 && c.s[this.at('dirty_logging', 0)]) c.write(this.at('ghost_pending', owner), 1);
    if (c.recording)
      c.outcome += ` → pfn${pfn} (${owner >= 0 ? `${this.gfnName(owner)}'s page` : 'a free page'})`;
  }

  /** kvm_flush_remote_tlbs: vCPUs with interrupts off in a lockless walk hold it up. */
  flushWalkers(s: Int32Array, self: number | undefined): number[] {
    const walkers: number[] = [];
    for (let v = 0; v < this.vcpus; v++)
      if (v !== self && s[this.at('vcpu_mode', v)] === 2) walkers.push(v);
    return walkers;
  }

  /** flushWalkers(s, self).length > 0, without the array. */
  anyFlushWalker(s: Int32Array, self: number | undefined): boolean {
    for (let v = 0; v < this.vcpus; v++)
      if (v !== self && s[this.at('vcpu_mode', v)] === 2) return true;
    return false;
  }

  flush(c: Ctx): number[] {
    const flushed: number[] = [];
    for (let v = 0; v < this.vcpus; v++) {
      let any = false;
      for (let i = 0; i < this.slots; i++) {
        const ix = this.at('tlb', v * this.slots + i);
        if (c.s[ix]) {
          c.write(ix, 0);
          any = true;
        }
      }
      if (any) flushed.push(v);
    }
    return flushed;
  }

  /**
   * PML: the CPU appends the gfn to the vCPU's PML buffer when it sets Dirty,
   * and KVM moves the buffer into the dirty log (vmx_flush_pml_buffer →
   * kvm_vcpu_mark_page_dirty) on the next VM-exit; a harvest kicks every vCPU
   * first (kvm_arch_sync_dirty_log). The model folds the buffer in: the gfn
   * reaches the log in the same step, which is what the kick guarantees for
   * every write made before the harvest.
   */
  private pmlLog(c: Ctx, v: number, gfn: number): void {
    const before = c.outcome;
    this.markDirty(c, gfn, v);
    if (c.recording)
      c.outcome = `${before ?? ''}; PML logs ${this.gfnName(gfn)}: ${c.outcome ?? ''}`;
  }

  /**
   * mark_page_dirty_in_slot: with a dirty ring and a running vCPU,
   * kvm_dirty_ring_push; otherwise an atomic set_bit_le in the bitmap. Only
   * when the slot has dirty logging on.
   */
  markDirty(c: Ctx, gfn: number, vcpu?: number): void {
    this.at('hostmap', gfn); // bounds check: gfn must exist
    if (!c.read(this.at('dirty_logging', 0))) {
      c.outcome = 'dirty logging off: nothing to do';
      return;
    }
    if (this.layout.machine.dirtyRing && vcpu !== undefined) {
      ringPush(c, this.layout, vcpu, gfn, this.gfnName(gfn));
      return;
    }
    const ix = this.at('dirty_bitmap', 0);
    c.rmw(ix, (c.s[ix] ?? 0) | (1 << gfn));
    if (c.recording) c.outcome = `bit ${this.gfnName(gfn)} set`;
  }

  /** The free page GUP would allocate: the most recently freed (per-CPU lists are LIFO). */
  freePage(s: Int32Array): number {
    let best = 0;
    let stamp = 0;
    for (let p = 1; p <= this.pfns; p++) {
      const f = s[this.at('page_free', p)] ?? 0;
      if (f > stamp) {
        stamp = f;
        best = p;
      }
    }
    return best;
  }

  gupBlocked(s: Int32Array, gfn: number, atomic: boolean): boolean {
    return !atomic && !s[this.at('hostmap', gfn)] && this.freePage(s) === 0;
  }

  /** GUP: a reference on the gfn's page, faulting it in (swap-in) unless atomic. 0 = error pfn. */
  gup(c: Ctx, gfn: number, atomic: boolean): number {
    let pfn = c.read(this.at('hostmap', gfn));
    if (!pfn) {
      if (atomic) {
        if (c.recording)
          c.outcome = `${this.gfnName(gfn)} not resident: KVM_PFN_ERR (atomic GUP cannot fault in)`;
        return 0;
      }
      pfn = this.freePage(c.s);
      c.write(this.at('page_free', pfn), 0);
      c.write(this.at('page_owner', pfn), gfn);
      c.write(this.at('page_data', pfn), c.s[this.at('swap', gfn)] ?? 0);
      c.write(this.at('page_dirty', pfn), 0);
      c.write(this.at('page_accessed', pfn), 0);
      c.write(this.at('ghost_written', pfn), 0);
      c.write(this.at('hostmap', gfn), pfn);
      if (c.recording)
        c.outcome = `${this.gfnName(gfn)} faulted in: the allocator returns pfn${pfn}`;
    } else {
      if (c.recording) c.outcome = `pfn${pfn}`;
    }
    const ref = this.at('page_ref', pfn);
    c.rmw(ref, (c.s[ref] ?? 0) + 1);
    return pfn;
  }

  putPage(c: Ctx, pfn: number): void {
    if (pfn === 0) return;
    const ref = this.at('page_ref', pfn);
    const n = Math.max(0, (c.s[ref] ?? 0) - 1);
    c.rmw(ref, n);
    const owner = c.s[this.at('page_owner', pfn)] ?? -1;
    const mapped = owner >= 0 && c.s[this.at('hostmap', owner)] === pfn;
    if (n === 0 && !mapped) this.free(c, pfn);
  }

  private free(c: Ctx, pfn: number): void {
    const stamp = this.at('alloc_stamp', 0);
    const next = (c.s[stamp] ?? 0) + 1;
    c.write(stamp, next);
    c.write(this.at('page_free', pfn), next);
    c.write(this.at('page_owner', pfn), -1);
    if (c.recording) c.outcome = (c.outcome ? c.outcome + '; ' : '') + `pfn${pfn} freed`;
  }

  /** Host mm: clear the host PTE, write the data to swap, free the frame unless pinned. */
  unmapFree(c: Ctx, gfn: number): void {
    const hm = this.at('hostmap', gfn);
    const pfn = c.read(hm);
    if (!pfn) {
      c.outcome = 'not resident';
      return;
    }
    c.write(hm, 0);
    c.write(this.at('swap', gfn), c.read(this.at('page_data', pfn)));
    if (c.recording) c.outcome = `${this.gfnName(gfn)} swapped out`;
    if (c.read(this.at('page_ref', pfn)) === 0) this.free(c, pfn);
    else c.outcome += `; pfn${pfn} is pinned (refcount > 0): not freed, cannot be reused`;
  }

  migrateBlocked(s: Int32Array, gfn: number): boolean {
    return s[this.at('hostmap', gfn)] !== 0 && this.freePage(s) === 0;
  }

  /**
   * Page migration (after invalidate_range_start): the data moves to a free
   * frame, the host PTE points there, and the old frame is freed unless a
   * reference (a GUP in flight) keeps it.
   */
  migrate(c: Ctx, gfn: number): void {
    const hm = this.at('hostmap', gfn);
    const old = c.read(hm);
    if (!old) {
      c.outcome = 'not resident';
      return;
    }
    const pfn = this.freePage(c.s);
    c.write(this.at('page_free', pfn), 0);
    c.write(this.at('page_owner', pfn), gfn);
    c.write(this.at('page_data', pfn), c.read(this.at('page_data', old)));
    c.write(this.at('page_dirty', pfn), 0);
    c.write(this.at('page_accessed', pfn), 0);
    c.write(this.at('ghost_written', pfn), 0);
    c.write(hm, pfn);
    if (c.recording) c.outcome = `${this.gfnName(gfn)} migrated: pfn${old} → pfn${pfn}`;
    if (c.read(this.at('page_ref', old)) === 0) this.free(c, old);
    else c.outcome += `; pfn${old} still referenced, not freed yet`;
  }

  /**
   * The guest's store to its own page table. The table is write-protected
   * (MMU-writable clear), so the store traps and KVM emulates it through the
   * host mapping, which dirties the page on the host side.
   */
  gptWrite(c: Ctx, gpteIx: number, value: number, gptGfn: number): void {
    c.write(this.at('gpte', gpteIx), value);
    const pfn = c.s[this.at('hostmap', gptGfn)] ?? 0;
    if (!pfn) return;
    c.rmw(this.at('page_data', pfn), (c.s[this.at('page_data', pfn)] ?? 0) + 1);
    c.write(this.at('page_dirty', pfn), 1);
    if (c.s[this.at('dirty_logging', 0)]) c.write(this.at('ghost_pending', gptGfn), 1);
  }

  /** Userspace copies the reported gfns: the destination is now up to date for them. */
  harvestCopy(c: Ctx, mask: number): void {
    const copied: string[] = [];
    for (let g = 0; g < this.gfns; g++)
      if (mask & (1 << g)) {
        c.write(this.at('ghost_pending', g), 0);
        copied.push(this.gfnName(g));
      }
    if (c.recording) c.outcome = copied.length ? `copied ${copied.join(', ')}` : 'nothing to copy';
  }
}
