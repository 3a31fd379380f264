import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { rstEscape, traceToRst } from './rst';
import { canonical, everyVariant } from './testTraces';

/**
 * Parses each document with docutils and reports, per document, the tables
 * (with their column counts), the literal blocks' text and every system
 * message (docutils' warnings and errors), as JSON on stdout.
 */
const PARSE = `
import sys, json
import docutils.core, docutils.nodes as n
out = []
for src in json.load(sys.stdin):
    doc = docutils.core.publish_doctree(src, settings_overrides={
        'report_level': 5, 'halt_level': 5, 'warning_stream': False})
    out.append({
        'tables': [len(list(t.findall(n.colspec))) for t in doc.findall(n.table)],
        'literals': [b.astext() for b in doc.findall(n.literal_block)],
        'messages': [m.astext() for m in doc.findall(n.system_message)],
    })
print(json.dumps(out))
`;

interface Parsed {
  tables: number[];
  literals: string[];
  messages: string[];
}

const probe = spawnSync('python3', ['-c', 'import docutils.core'], { encoding: 'utf8' });
const docutils = probe.status === 0;

function parse(docs: string[]): Parsed[] {
  const r = spawnSync('python3', ['-c', PARSE], {
    input: JSON.stringify(docs),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Parsed[];
}

describe('rstEscape', () => {
  it.each([
    ['1. CPU 0: the guest', '1\\. CPU 0: the guest'],
    ['- a bullet', '\\- a bullet'],
    ['*sptep and mmu_lock', '\\*sptep and mmu\\_lock'],
    ['3, 5. The guest', '3, 5. The guest'],
  ])('%s', (input, want) => expect(rstEscape(input)).toBe(want));
});

// CI installs python3-docutils (.ci/run); a machine without it skips, saying why.
describe.skipIf(!docutils)(
  'rst through docutils (skipped only where python3-docutils is absent)',
  () => {
    it('every built-in variant parses without a warning into one table, a column per CPU', () => {
      const all = everyVariant();
      const parsed = parse(all.map((v) => traceToRst(v.trace)));
      parsed.forEach((p, i) => {
        const { id, trace } = all[i] ?? { id: '?', trace: undefined };
        expect(p.messages, id).toEqual([]);
        expect(p.tables, id).toEqual([trace?.threads.length]);
      });
    });

    it('ABA: the initial state, the stale read and the OOPS land in literal blocks', () => {
      const [p] = parse([traceToRst(canonical('aba'))]);
      // Long lines wrap inside their column: compare without the whitespace.
      const code = (p?.literals.join('\n') ?? '').replace(/\s+/g, '');
      expect(p?.literals[0]).toContain('spte[gva0] = {pfn1 W=0');
      expect(code).toContain('old_spte=mmu_spte_get_lockless(sptep);');
      // The OOPS follows vCPU0's guest write at step 67, after its cmpxchg.
      expect(code).toMatch(/try_cmpxchg64.*guest:\*gva=val;.*OOPS!!!/);
    });
  },
);
