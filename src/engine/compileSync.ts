/**
 * The lock and SRCU ops: they read and write the lock words and SRCU reader
 * masks of lockword.ts and srcu.ts, and describe their synchronisation in
 * the step event only when recording (the explorer's steps build no text).
 */
import type { Op } from './model';
import type { COp } from './compile';
import type { OpCtx } from './compileOp';
import { ScenarioError } from './errors';
import { checkMode, lockAcquire, lockConflicts, lockFree, lockRelease } from './sync/lockword';
import { srcuReaders } from './sync/srcu';

export function compileLock(
  op: Op & { k: 'lock' | 'unlock' },
  fall: number,
  x: OpCtx,
): Omit<COp, 'local'> {
  const type = x.lockTypes.get(op.lock);
  if (!type) throw new ScenarioError(`${x.def.name}: unknown lock '${op.lock}'`);
  checkMode(type, op.mode, op.lock);
  const word = x.layout.index(`lock:${op.lock}`);
  const { t } = x;
  const { lock, mode } = op;
  if (op.k === 'unlock')
    return {
      op,
      exec: (c) => {
        c.rmw(word, lockRelease(type, c.s[word] ?? 0, mode, t, lock));
        if (c.recording) c.sync = { kind: 'release', lock, mode };
        return fall;
      },
    };
  return {
    op,
    exec: (c) => {
      c.rmw(word, lockAcquire(type, c.s[word] ?? 0, mode, t));
      if (c.recording) c.sync = { kind: 'acquire', lock, mode };
      return fall;
    },
    block: (c) => {
      const holders = lockConflicts(type, c.s[word] ?? 0, mode);
      return holders.length ? { kind: 'lock', lock, mode, holders } : null;
    },
    enabled: (c) => lockFree(type, c.s[word] ?? 0, mode),
  };
}

function domainIndex(x: OpCtx, domain: string): number {
  return [...x.domains].indexOf(domain);
}

export function compileSrcu(
  op: Op & { k: 'srcu_read_lock' | 'srcu_read_unlock' | 'srcu_sync' },
  fall: number,
  x: OpCtx,
): Omit<COp, 'local'> {
  const domain = op.domain;
  if (!x.domains.has(domain))
    throw new ScenarioError(`${x.def.name}: unknown SRCU domain '${domain}'`);
  const word = x.layout.index(`srcu:${domain}`);
  const seq = x.layout.index(`srcu_idx:${domain}`);
  const { t, shape } = x;
  const me = 1 << t;
  const nThreads = shape.regBase.length;
  const d = domainIndex(x, domain);
  const gpOf = (u: number) => shape.gpBase + u * x.domains.size + d;
  const gp = gpOf(t);
  if (op.k === 'srcu_read_lock') {
    const dst = op.dst === undefined ? -1 : x.reg(op.dst);
    return {
      op,
      exec: (c) => {
        const w = c.s[word] ?? 0;
        if (w & me)
          throw new ScenarioError(
            `${x.def.name}: nested srcu_read_lock(${domain}) is not modelled`,
          );
        c.rmw(word, w | me);
        if (dst >= 0) c.setReg(dst, c.read(seq) & 1);
        if (c.recording) c.sync = { kind: 'srcu-read-lock', domain };
        return fall;
      },
    };
  }
  if (op.k === 'srcu_read_unlock')
    return {
      op,
      exec: (c) => {
        const w = c.s[word] ?? 0;
        if (!(w & me))
          throw new ScenarioError(
            `${x.def.name}: srcu_read_unlock(${domain}) without srcu_read_lock`,
          );
        c.rmw(word, w & ~me);
        // This reader is no longer one that any pending grace period waits for.
        for (let u = 0; u < nThreads; u++) {
          const g = gpOf(u);
          if ((c.s[g] ?? 0) & me) c.put(g, (c.s[g] ?? 0) & ~me);
        }
        if (c.recording) c.sync = { kind: 'srcu-read-unlock', domain };
        return fall;
      },
    };
  if (op.phase === 'start')
    return {
      op,
      exec: (c) => {
        const readers = c.read(word);
        c.put(gp, readers);
        if (c.recording) c.sync = { kind: 'gp-start', domain, readers: srcuReaders(readers) };
        return fall;
      },
    };
  return {
    op,
    exec: (c) => {
      c.rmw(seq, (c.s[seq] ?? 0) + 1);
      if (c.recording) c.sync = { kind: 'gp-end', domain };
      return fall;
    },
    block: (c) => {
      const waiting = c.s[gp] ?? 0;
      return waiting ? { kind: 'grace-period', domain, readers: srcuReaders(waiting) } : null;
    },
    enabled: (c) => (c.s[gp] ?? 0) === 0,
  };
}
