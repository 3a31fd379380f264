/**
 * Seeded fuzzing of the parser: random texts and mutations of valid tests.
 * Whatever the input, parseScenario returns data (never throws), every error
 * has a line:col inside the text and a one-line message, and an accepted
 * text explores within a small budget or fails with the engine's own error.
 */
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../engine';
import { exploreLitmus, parseScenario } from './index';
import { prng } from '../engine/testing';

const SEEDS: string[] = [
  `C MP\n(* Result: Never *)\n{ int y = 0; }\nP0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); }\nP1(int *x, int *y) { int r0; int r1; r0 = smp_load_acquire(y); r1 = READ_ONCE(*x); }\nexists (1:r0=1 /\\ 1:r1=0)\n`,
  `C L\n{ spinlock_t l; atomic_t v = ATOMIC_INIT(1); }\nP0(spinlock_t *l, atomic_t *v, int *x) { spin_lock(l); r0 = atomic_fetch_add(2, v); if (r0 > 1) { WRITE_ONCE(*x, r0); } else *x = 3; spin_unlock(l); }\nP1(spinlock_t *l, int *x) { int r1 = spin_trylock(l); while (READ_ONCE(*x) == 0) ; }\nlocations [x;]\nfilter (1:r1=1)\nforall (x=3 \\/ ~(x=0) => true)\n`,
  `C R\n{ int *p = &a; }\nP0(int **p, int *a, int *b, struct srcu_struct *s) { int *r0; int i = srcu_read_lock(s); r0 = rcu_dereference(*p); r1 = READ_ONCE(*r0); srcu_read_unlock(s, i); }\nP1(int **p, int *b, struct srcu_struct *s) { WRITE_ONCE(*b, 1); rcu_assign_pointer(*p, b); synchronize_srcu(s); }\n~exists (0:r0=b /\\ 0:r1=0)\n`,
];

const ALPHABET = 'CP01234xyr(){};,*&=~/\\[]: \n\tREAD_ONCEWRITE_ONCEexistsint"';
const PIECES = [
  '(*',
  '*)',
  '/*',
  '*/',
  '//',
  '{',
  '}',
  '(',
  ')',
  ';',
  'exists',
  '~exists',
  'P0',
  'P1',
  'int ',
  '*x',
  '&x',
  '0:r0=1',
  '/\\',
  '\\/',
  '=>',
  'while (1)',
  'if (r0)',
  'else',
  'spin_lock(l);',
  'xchg(x, 1)',
  '"',
  '\n',
];

function checkTotal(text: string): void {
  const r = parseScenario(text, { loopBound: 2 });
  if (!r.ok) {
    const lines = text.split('\n').length;
    for (const e of r.errors) {
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.line).toBeLessThanOrEqual(lines + 1);
      expect(e.col).toBeGreaterThanOrEqual(1);
      expect(e.message.length).toBeGreaterThan(0);
      expect(e.message).not.toContain('\n');
    }
    return;
  }
  try {
    exploreLitmus(r.test, r.instance, { budget: 2000 });
  } catch (e) {
    // A pointer that lands outside the cells, an unlock of a free lock: the engine says so.
    expect(e).toBeInstanceOf(ScenarioError);
  }
}

describe('parser fuzzing', () => {
  for (const seed of [1, 2, 3, 42, 1234]) {
    it(`random texts, seed ${seed}`, () => {
      const rnd = prng(seed);
      for (let n = 0; n < 300; n++) {
        const len = Math.floor(rnd() * 200);
        let t = rnd() < 0.5 ? 'C fuzz\n' : '';
        for (let i = 0; i < len; i++)
          t +=
            rnd() < 0.3
              ? (PIECES[Math.floor(rnd() * PIECES.length)] ?? '')
              : (ALPHABET[Math.floor(rnd() * ALPHABET.length)] ?? '');
        checkTotal(t);
      }
    });
    it(`mutated valid tests, seed ${seed}`, () => {
      const rnd = prng(seed * 7919);
      for (let n = 0; n < 300; n++) {
        let t = SEEDS[n % SEEDS.length] ?? '';
        const edits = 1 + Math.floor(rnd() * 4);
        for (let k = 0; k < edits; k++) {
          const at = Math.floor(rnd() * t.length);
          const r = rnd();
          if (r < 0.33) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rnd() * 5));
          else if (r < 0.66)
            t = t.slice(0, at) + (PIECES[Math.floor(rnd() * PIECES.length)] ?? '') + t.slice(at);
          else {
            const from = Math.floor(rnd() * t.length);
            t = t.slice(0, at) + t.slice(from, from + 10) + t.slice(at);
          }
        }
        checkTotal(t);
      }
    });
  }
  it('the seeds themselves parse and explore', () => {
    for (const s of SEEDS) {
      const r = parseScenario(s);
      expect(r.ok, JSON.stringify(!r.ok && r.errors)).toBe(true);
      if (r.ok) expect(exploreLitmus(r.test, r.instance).result.states.length).toBeGreaterThan(0);
    }
  });
});
