import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../worker/client';
import type { ScenarioListing } from '../worker/protocol';
import { RunSummary, type RunState } from './RunSummary';

interface Selection {
  scenario: string;
  variant: string;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Minimal shell until the visualizer lands: pick a scenario and variant, run
 * its canonical schedule in the worker, show the report. All computation goes
 * through `client`; this component never imports the engine.
 */
export function App({ client }: { client: EngineClient }) {
  const [scenarios, setScenarios] = useState<ScenarioListing[]>([]);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [run, setRun] = useState<RunState>({ status: 'idle' });
  // Only the latest request may update the view; earlier replies are stale.
  const latest = useRef(0);

  const start = useCallback(
    (sel: Selection) => {
      const id = ++latest.current;
      setRun({ status: 'running' });
      client.runReport(sel.scenario, sel.variant).then(
        (report) => {
          if (id === latest.current) setRun({ status: 'done', report });
        },
        (error: unknown) => {
          if (id === latest.current) setRun({ status: 'error', message: messageOf(error) });
        },
      );
    },
    [client],
  );

  useEffect(() => {
    let live = true; // StrictMode mounts twice; ignore the first listing
    client.listScenarios().then(
      (list) => {
        if (!live) return;
        setScenarios(list);
        const first = list[0];
        const variant = first?.variants[0];
        if (!first || !variant) {
          setRun({ status: 'error', message: 'The engine lists no scenarios.' });
          return;
        }
        const sel = { scenario: first.id, variant: variant.id };
        setSelection(sel);
        start(sel);
      },
      (error: unknown) => {
        if (live) setRun({ status: 'error', message: messageOf(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [client, start]);

  const current = scenarios.find((s) => s.id === selection?.scenario);

  return (
    <div className="app">
      <header>
        <h1>lockstep</h1>
        <p>KVM x86 MMU locking races, step by step</p>
      </header>
      <form
        className="picker"
        onSubmit={(event) => {
          event.preventDefault();
          if (selection) start(selection);
        }}
      >
        <label>
          Scenario{' '}
          <select
            value={selection?.scenario ?? ''}
            onChange={(event) => {
              const next = scenarios.find((s) => s.id === event.target.value);
              const variant = next?.variants[0];
              if (next && variant) setSelection({ scenario: next.id, variant: variant.id });
            }}
          >
            {scenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Variant{' '}
          <select
            value={selection?.variant ?? ''}
            onChange={(event) =>
              selection && setSelection({ ...selection, variant: event.target.value })
            }
          >
            {current?.variants.map((v) => (
              <option key={v.id} value={v.id}>
                {v.title}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!selection || run.status === 'running'}>
          Run
        </button>
      </form>
      <RunSummary run={run} />
    </div>
  );
}
