import type { RunReport } from '../worker/protocol';

export type RunState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; report: RunReport }
  | { status: 'error'; message: string };

/** The outcome of one run. `run-status` is the signal e2e tests wait on. */
export function RunSummary({ run }: { run: RunState }) {
  return (
    <main className="summary">
      <p>
        Status: <span data-testid="run-status">{run.status}</span>
      </p>
      {run.status === 'error' && (
        <p className="error" role="alert" data-testid="run-error">
          {run.message}
        </p>
      )}
      {run.status === 'done' && <Report report={run.report} />}
    </main>
  );
}

function Report({ report }: { report: RunReport }) {
  return (
    <>
      <dl>
        <dt>Scenario</dt>
        <dd data-testid="scenario">
          {report.scenario} / {report.variant}
        </dd>
        <dt>Schedule</dt>
        <dd>
          <code>{report.schedule}</code>
        </dd>
        <dt>Threads</dt>
        <dd data-testid="threads">{report.threads.join(', ')}</dd>
        <dt>Steps</dt>
        <dd data-testid="steps">{report.steps}</dd>
      </dl>
      <section data-testid="violations">
        <h2>Violations</h2>
        {report.violations.length === 0 ? (
          <p>No violation</p>
        ) : (
          <ul>
            {report.violations.map((v, i) => (
              <li key={i} data-testid="violation">
                <strong>{v.kind}</strong> at step {v.step}: {v.message}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
