/*
 * dirty-bit-scaled, buggy variant, as lockstep models it (src/scenarios/dirtyBitScaled.ts), for
 * a side-by-side time with SPIN (bench/spin/README.md). N SPTEs, N vCPUs, K guest writes each
 * (N <= 12, K <= 4); one host zaps SPTE 0 .. N-1 under mmu_lock with the original
 * mmu_spte_clear_track_bits. Build: spin -DN=7 -DK=1 -a dirty_bit_scaled.pml
 *
 * Same scope as lockstep: one atomic step per lockstep op that touches shared state, with the
 * register-only ops after it (branches) folded in, as lockstep takes them eagerly; registers
 * zeroed where lockstep finds them dead. SPTE i always maps pfn i+1, so only its flag bits are
 * stored (a zapped SPTE is 0).
 */
#ifndef N
#define N 7
#endif
#ifndef K
#define K 1
#endif

/* SPTE bits, as src/engine/spte.ts */
#define R_ 1
#define W_ 2
#define X_ 4
#define A_ 8
#define D_ 16
#define HW_ 32
#define MW_ 64
#define P_ 128
#define PRESENT(s) (((s) & P_) != 0)
/* spteVolatileOriginal: present (A/D enabled) and not (A && (!W || D)) */
#define VOLATILE_ORIG(s) (PRESENT(s) && !(((s) & A_) != 0 && (((s) & W_) == 0 || ((s) & D_) != 0)))

/* writeProtected(pfn, accessed): present, R X A, host- and MMU-writable, W and D clear */
byte spte[N] = P_ | R_ | X_ | A_ | HW_ | MW_;
/* per pfn 1..N, at index pfn-1 */
bit page_dirty[N];
bit page_accessed[N];
byte page_data[N];
bit ghost_written[N];
bit mmu_lock;

/* mmu_spte_clear_track_bits (original) on SPTE i */
inline zap(i) {
  atomic { ct_old = spte[i]; xch = VOLATILE_ORIG(ct_old) };   /* CT1, CT2 */
  atomic {
    if
    :: xch -> ct_old = spte[i]; spte[i] = 0; xch = 0           /* CT3: xchg */
    :: else -> spte[i] = 0                                     /* CT3: plain store */
    fi
  };
  page_accessed[i] = page_accessed[i] | ((ct_old & A_) != 0);
  atomic { page_dirty[i] = page_dirty[i] | ((ct_old & D_) != 0); ct_old = 0 }
}

active proctype host() {
  byte ct_old;
  bit xch;
  atomic { mmu_lock == 0 -> mmu_lock = 1 };
  zap(0);
#if N > 1
  zap(1);
#endif
#if N > 2
  zap(2);
#endif
#if N > 3
  zap(3);
#endif
#if N > 4
  zap(4);
#endif
#if N > 5
  zap(5);
#endif
#if N > 6
  zap(6);
#endif
#if N > 7
  zap(7);
#endif
#if N > 8
  zap(8);
#endif
#if N > 9
  zap(9);
#endif
#if N > 10
  zap(10);
#endif
#if N > 11
  zap(11);
#endif
  mmu_lock = 0
}

/* one guest write through SPTE v: walk, set A/D, land; or fault and return */
inline gwrite(v) {
  atomic {
    if
    :: go && PRESENT(spte[v]) && (spte[v] & W_) != 0 ->
       spte[v] = spte[v] | A_ | D_;
       page_data[v]++;
       ghost_written[v] = 1
    :: else -> go = 0
    fi
  }
}

active [N] proctype vcpu() {
  byte v = _pid - 1;
  byte old;
  bit go;
  /* old_spte = mmu_spte_get_lockless(sptep); the fast_page_fault test */
  atomic {
    old = spte[v];
    go = PRESENT(old) && (old & W_) == 0 && (old & MW_) != 0;
    if
    :: !go -> old = 0
    :: else -> skip
    fi
  };
  if
  :: go ->
     /* try_cmpxchg64 and the branch on its result */
     atomic {
       if
       :: spte[v] == old -> spte[v] = old | W_
       :: else -> go = 0
       fi;
       old = 0
     };
     gwrite(v);
#if K > 1
     gwrite(v);
#endif
#if K > 2
     gwrite(v);
#endif
#if K > 3
     gwrite(v);
#endif
     go = 0
  :: else -> skip
  fi
}

/* The lost-dirty-bit check on every final state (timeout: no process can move): a page written,
   not Dirty, and no present SPTE still carrying D for it. */
active proctype check() {
  byte p = 0;
  timeout ->
  do
  :: p < N ->
     assert(!(ghost_written[p] && !page_dirty[p] && !(PRESENT(spte[p]) && (spte[p] & D_) != 0)));
     p++
  :: else -> break
  od
}
