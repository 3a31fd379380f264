/**
 * lockstep's own litmus suite: each test's final states worked out by hand
 * under sequential consistency, and checked against three searches (see
 * testing.ts `verdict`).
 */
import { describe, expect, it } from 'vitest';
import { verdict } from './testing';

const two = (p0: string, p1: string, cond: string, init = '{}', params = 'int *x, int *y') =>
  `C t\n${init}\nP0(${params}) {\n${p0}\n}\nP1(${params}) {\n${p1}\n}\n${cond}\n`;

describe('classic shapes under SC', () => {
  it('SB: both loads reading 0 needs reordering, so Never', () => {
    const v = verdict(
      two(
        'int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y);',
        'int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x);',
        'exists (0:r0=0 /\\ 1:r0=0)',
      ),
    );
    expect(v.lines).toEqual(['0:r0=0; 1:r0=1;', '0:r0=1; 1:r0=0;', '0:r0=1; 1:r0=1;']);
    expect(v.result.observation).toBe('Never');
    expect(v.result.ok).toBe(false);
    expect(v.text).toContain('Observation t Never 0 3');
  });

  it('MP with release/acquire and wmb/rmb: flag seen implies data seen', () => {
    const v = verdict(
      two(
        'WRITE_ONCE(*x, 1); smp_wmb(); smp_store_release(y, 1);',
        'int r0; int r1; r0 = smp_load_acquire(y); smp_rmb(); r1 = READ_ONCE(*x);',
        'exists (1:r0=1 /\\ 1:r1=0)',
      ),
    );
    expect(v.lines).toEqual(['1:r0=0; 1:r1=0;', '1:r0=0; 1:r1=1;', '1:r0=1; 1:r1=1;']);
    expect(v.result.observation).toBe('Never');
  });

  it('LB: each load before the other thread store is impossible under SC', () => {
    const v = verdict(
      two(
        'int r0; r0 = READ_ONCE(*x); WRITE_ONCE(*y, 1);',
        'int r0; r0 = READ_ONCE(*y); WRITE_ONCE(*x, 1);',
        'exists (0:r0=1 /\\ 1:r0=1)',
      ),
    );
    expect(v.lines).toEqual(['0:r0=0; 1:r0=0;', '0:r0=0; 1:r0=1;', '0:r0=1; 1:r0=0;']);
  });

  it('plain accesses, (void) and undeclared locals behave as READ_ONCE/WRITE_ONCE here', () => {
    const v = verdict(
      two(
        '*x = 1; r0 = *y; (void)READ_ONCE(*y);',
        '*y = 1; r0 = *x;',
        'exists (0:r0=0 /\\ 1:r0=0)',
      ),
    );
    expect(v.lines).toHaveLength(3);
    expect(v.result.positive).toBe(0);
  });
});

describe('read-modify-writes', () => {
  it('xchg variants: the second exchange returns the first one value', () => {
    const v = verdict(
      two(
        'int r0; r0 = xchg(x, 1);',
        'int r0; r0 = xchg_relaxed(x, 2);',
        'locations [0:r0; 1:r0; x] exists (x=2)',
      ),
    );
    expect(v.lines).toEqual(['0:r0=0; 1:r0=1; x=2;', '0:r0=2; 1:r0=0; x=1;']);
  });

  it('cmpxchg variants: exactly one of two racing cmpxchg(x, 0, _) succeeds', () => {
    const v = verdict(
      two(
        'int r0; r0 = cmpxchg(x, 0, 1);',
        'int r0; r0 = cmpxchg_acquire(x, 0, 2);',
        'exists (0:r0=0 /\\ 1:r0=0)',
        '{}',
      ) + '',
    );
    expect(v.lines).toEqual(['0:r0=0; 1:r0=1;', '0:r0=2; 1:r0=0;']);
    expect(v.result.observation).toBe('Never');
  });

  it('atomic_inc, atomic_fetch_add and atomic_add_return interleave as single steps', () => {
    const v = verdict(
      two(
        'int r0; atomic_inc(v); r0 = atomic_fetch_add(2, v);',
        'int r0; r0 = atomic_add_return(10, v);',
        'locations [0:r0; 1:r0; v] exists (v=13)',
        '{ atomic_t v = ATOMIC_INIT(0); }',
        'atomic_t *v',
      ),
    );
    expect(v.lines).toEqual([
      '0:r0=1; 1:r0=13; v=13;',
      '0:r0=11; 1:r0=10; v=13;',
      '0:r0=11; 1:r0=11; v=13;',
    ]);
    expect(v.result.observation).toBe('Always');
  });

  it('every atomic_* operation, in one thread, computes what the kernel documents', () => {
    const body = `
      atomic_sub(2, v); atomic_dec(v); atomic_and(12, v); atomic_or(3, v);
      atomic_xor(1, v); atomic_andnot(2, v);
      r0 = atomic_fetch_or_relaxed(1, v);
      r1 = atomic_dec_and_test(v);
      r2 = atomic_sub_and_test(8, v);
      r3 = atomic_inc_and_test(v);
      r4 = atomic_add_negative(-5, v);
      r5 = atomic_read(v);
      atomic_set(v, 7);
      r6 = atomic_xchg(v, 3);
      r7 = atomic_cmpxchg(v, 3, 4);
      r8 = atomic_add_unless(v, 1, 4);
      r9 = atomic_add_unless(v, 1, 0);
      r10 = atomic_fetch_andnot(1, v);
      r11 = atomic_inc_return(v);
      r12 = atomic_dec_return_relaxed(v);
      r13 = atomic_sub_return(2, v);
      atomic_set_release(v, atomic_read_acquire(v) + 1);
      r14 = atomic_fetch_xor(3, v);
      r15 = atomic_fetch_inc(v);
      r16 = atomic_fetch_dec(v);
      r17 = atomic_fetch_sub(1, v);
      r18 = atomic_fetch_and(0, v);`;
    const regs = Array.from({ length: 19 }, (_, i) => `0:r${i}`);
    const v = verdict(
      `C atomics\n{ atomic_t v = ATOMIC_INIT(12); }\nP0(atomic_t *v) {${body}\n}\nlocations [${regs.join('; ')}; v]\nexists (v=0)\n`,
    );
    // Worked by hand from v = 12: see the comment of each step in the README table.
    const want = [8, 0, 1, 0, 1, -4, 7, 3, 0, 1, 5, 5, 4, 2, 3, 0, 1, 0, -1];
    const byName = new Map(v.result.columns.map((c, i) => [c, v.result.states[0]?.values[i]]));
    expect(v.result.states).toHaveLength(1);
    want.forEach((w, i) => expect(byName.get(`0:r${i}`), `r${i}`).toBe(w));
    expect(byName.get('v')).toBe(0);
  });

  it('short-circuit &&: the right side runs only when the left holds', () => {
    const v = verdict(
      `C sc\n{ x = 0; }\nP0(int *x, int *y) { int r0; r0 = READ_ONCE(*x) && cmpxchg(y, 0, 1); }\nlocations [y]\nexists (y=1)\n`,
    );
    expect(v.lines).toEqual(['y=0;']);
  });
});

describe('locks, RCU and SRCU', () => {
  const inc = 'int r0; spin_lock(l); r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + 1); spin_unlock(l);';
  it('spin_lock makes the increments atomic; without it one is lost', () => {
    const p = 'int *x, spinlock_t *l';
    expect(verdict(two(inc, inc, 'exists (x=1)', '{ spinlock_t l; }', p)).lines).toEqual(['x=2;']);
    const bare = 'int r0; r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + 1);';
    expect(verdict(two(bare, bare, 'exists (x=1)')).lines).toEqual(['x=1;', 'x=2;']);
  });

  it('spin_trylock fails only while the other thread holds the lock; spin_is_locked sees it', () => {
    const v = verdict(
      two(
        'int r0; spin_lock(l); r0 = spin_is_locked(l); spin_unlock(l);',
        'int r0; r0 = spin_trylock(l); if (r0) { spin_unlock(l); }',
        'locations [0:r0] exists (1:r0=0)',
        '{ spinlock_t l; }',
        'spinlock_t *l',
      ),
    );
    expect(v.lines).toEqual(['0:r0=1; 1:r0=0;', '0:r0=1; 1:r0=1;']);
  });

  it('mutex_lock, rwlock and rwsem (extensions) exclude as the kernel does', () => {
    const m = 'int r0; mutex_lock(m); r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + 1); mutex_unlock(m);';
    expect(verdict(two(m, m, 'exists (x=1)', '{}', 'int *x, struct mutex *m')).lines).toEqual([
      'x=2;',
    ]);
    for (const [rl, ru, wl, wu, type] of [
      ['read_lock', 'read_unlock', 'write_lock', 'write_unlock', 'rwlock_t'],
      ['down_read', 'up_read', 'down_write', 'up_write', 'struct rw_semaphore'],
    ])
      expect(
        verdict(
          two(
            `int r0; int r1; ${rl}(l); r0 = READ_ONCE(*x); r1 = READ_ONCE(*x); ${ru}(l);`,
            `${wl}(l); WRITE_ONCE(*x, 1); ${wu}(l);`,
            'exists (0:r0=0 /\\ 0:r1=1)',
            '{}',
            `int *x, ${type} *l`,
          ),
        ).lines,
      ).toEqual(['0:r0=0; 0:r1=0;', '0:r0=1; 0:r1=1;']);
  });

  it('synchronize_rcu waits for a reader that started before it', () => {
    const v = verdict(
      two(
        'int r0; int r1; rcu_read_lock(); r0 = READ_ONCE(*x); r1 = READ_ONCE(*y); rcu_read_unlock();',
        'WRITE_ONCE(*x, 1); synchronize_rcu(); WRITE_ONCE(*y, 1);',
        'exists (0:r0=0 /\\ 0:r1=1)',
      ),
    );
    expect(v.lines).toEqual(['0:r0=0; 0:r1=0;', '0:r0=1; 0:r1=0;', '0:r0=1; 0:r1=1;']);
    expect(v.result.observation).toBe('Never');
  });

  it('SRCU: the same guarantee through srcu_read_lock/unlock and synchronize_srcu', () => {
    const v = verdict(
      two(
        'int r0; int r1; int i; i = srcu_read_lock(s); r0 = READ_ONCE(*x); r1 = READ_ONCE(*y); srcu_read_unlock(s, i);',
        'WRITE_ONCE(*x, 1); synchronize_srcu(s); WRITE_ONCE(*y, 1);',
        'exists (0:r0=0 /\\ 0:r1=1)',
        '{}',
        'int *x, int *y, struct srcu_struct *s',
      ),
    );
    expect(v.result.observation).toBe('Never');
    expect(v.lines).toHaveLength(3);
  });

  it('AB/BA: the deadlocked final states are left out and counted', () => {
    const v = verdict(
      two(
        'spin_lock(a); spin_lock(b); spin_unlock(b); spin_unlock(a);',
        'spin_lock(b); spin_lock(a); spin_unlock(a); spin_unlock(b);',
        'exists (true)',
        '{}',
        'spinlock_t *a, spinlock_t *b',
      ),
    );
    expect(v.result.deadlocked).toBe(1);
    expect(v.lines).toEqual(['']);
  });
});

describe('syntax forms', () => {
  it('init block: values, addresses (& and bare name), register init', () => {
    const v = verdict(`C init
{ x = 2; int y = 3; int *p = &x; int *q = y; 0:r2 = 7; }
P0(int **p, int **q, int *x, int *y) {
  int *r0; int *r3;
  r0 = READ_ONCE(*p); r1 = READ_ONCE(*r0);
  r3 = READ_ONCE(*q); r4 = READ_ONCE(*r3);
}
exists (0:r0=x /\\ 0:r1=2 /\\ 0:r2=7 /\\ 0:r3=y /\\ 0:r4=3)
`);
    expect(v.lines).toEqual(['0:r0=x; 0:r1=2; 0:r2=7; 0:r3=y; 0:r4=3;']);
    expect(v.result.observation).toBe('Always');
  });

  it('if/else, comments of both kinds, casts, fences and barrier()', () => {
    const v = verdict(`C branches
"a doc string"
(* an OCaml comment before the init block *)
{}
P0(int *x) {
  int r0; // a C comment
  /* another */
  r0 = (int)READ_ONCE(*x);
  smp_mb(); barrier(); smp_mb__before_atomic(); smp_mb__after_atomic();
  smp_mb__after_spinlock(); smp_mb__after_unlock_lock(); smp_mb__after_srcu_read_unlock();
  if (r0 == 1) r1 = 2; else { r1 = 3; }
}
P1(int *x) { smp_store_mb(*x, 1); }
locations [0:r0]
exists (0:r1=2)
`);
    expect(v.lines).toEqual(['0:r0=0; 0:r1=3;', '0:r0=1; 0:r1=2;']);
  });

  it('rcu_assign_pointer / rcu_dereference of a pointer', () => {
    const v = verdict(`C ptr
{ int z = 5; int *p = &x; }
P0(int *x, int **p, int *z) { WRITE_ONCE(*x, 1); rcu_assign_pointer(*p, z); }
P1(int **p) { int *r0; int r1; r0 = rcu_dereference(*p); r1 = READ_ONCE(*r0); }
exists (1:r0=x /\\ 1:r1=0)
`);
    expect(v.lines).toEqual(['1:r0=z; 1:r1=5;', '1:r0=x; 1:r1=0;', '1:r0=x; 1:r1=1;']);
  });

  const base = two('WRITE_ONCE(*x, 1);', 'int r0; r0 = READ_ONCE(*x);', '%', '{}', 'int *x');
  const cases: [string, string, boolean, number, number][] = [
    ['exists (1:r0=1)', 'Allowed', true, 1, 1],
    ['~exists (1:r0=2)', 'Forbidden', true, 0, 2],
    ['not exists (1:r0=1)', 'Forbidden', false, 1, 1],
    ['forall ([x]=1)', 'Required', true, 2, 0],
    ['forall (1:r0=1)', 'Required', false, 1, 1],
    ['exists (1:r0=1 => x=2)', 'Allowed', true, 1, 1],
    ['exists (1:r0!=0 \\/ ~(x=1))', 'Allowed', true, 1, 1],
    ['exists (1:r0==1 /\\ x<>2)', 'Allowed', true, 1, 1],
    ['exists (false)', 'Allowed', false, 0, 2],
    ['not exists true', 'Forbidden', false, 2, 0],
    ['(1:r0=0)', 'Allowed', true, 1, 1],
  ];
  it.each(cases)('condition %s', (cond, kind, ok, pos, neg) => {
    const v = verdict(base.replace('%', `locations [x; 1:r0]\n${cond}`));
    expect([v.result.kind, v.result.ok, v.result.positive, v.result.negative]).toEqual([
      kind,
      ok,
      pos,
      neg,
    ]);
  });

  it('filter keeps the final states that satisfy it', () => {
    const v = verdict(base.replace('%', 'filter (1:r0=1)\nexists (x=1)'));
    expect(v.lines).toEqual(['1:r0=1; x=1;']);
    expect(v.result.filtered).toBe(1);
  });
});

describe('bounded loops', () => {
  it('a loop within the bound runs to its end', () => {
    const v = verdict(
      `C loop\n{}\nP0(int *x) { r1 = 0; while (r1 < 3) { r1 = r1 + 1; } }\nexists (0:r1=3)\n`,
    );
    expect(v.lines).toEqual(['0:r1=3;']);
    expect(v.result.cut).toBe(0);
  });

  it('a spin that would never end is cut at the named bound, and its states left out', () => {
    const v = verdict(
      two(
        'WRITE_ONCE(*x, 1);',
        'int r0; while (READ_ONCE(*x) == 0) ; r0 = 1;',
        'exists (1:r0=1)',
        '{}',
        'int *x',
      ),
      { loopBound: 2 },
    );
    expect(v.lines).toEqual(['1:r0=1;']);
    expect(v.result.cut).toBe(1);
    expect(v.text).toContain('loop bound 2');
  });
});

describe('Result: comments', () => {
  const sb = (word: string) =>
    `C SB\n(* Result: ${word} *)\n{}\nP0(int *x, int *y) { WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }\nP1(int *x, int *y) { WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }\nexists (0:r0=0 /\\ 1:r0=0)\n`;
  it('Sometimes while SC finds Never is FLAGGED, not hidden', () => {
    const v = verdict(sb('Sometimes'));
    expect(v.result.expected).toEqual({ word: 'Sometimes', line: 2, agrees: false, flagged: true });
    expect(v.text).toMatch(
      /FLAGGED: .* says Sometimes, lockstep finds Never under sequential consistency/,
    );
  });
  it('Never agrees', () => {
    expect(verdict(sb('Never')).result.expected?.agrees).toBe(true);
  });
  it('Always is a mismatch, said so', () => {
    expect(verdict(sb('Always')).text).toContain('MISMATCH');
  });
});
