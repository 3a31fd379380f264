import { Suspense, lazy, useEffect, useState } from 'react';
import { useApp, useAppStoreApi } from './storeContext';
import { selectCursor, selectStatus, selectTalk, selectTrace } from '../store/selectors';
import { useKeyboard } from './useKeyboard';
import { ScenarioPicker } from './ScenarioPicker';
import { MessageBanner } from './MessageBanner';
import { Narration } from './Narration';
import { Controls } from './Controls';
import { ExportControls } from './ExportControls';
import { ThreadChooser } from './ThreadChooser';
import { ViolationPanel } from './ViolationPanel';
import { CodePane } from './CodePane';
import { Inspector } from './Inspector';
import { Timeline } from './Timeline';
import { ExplorePanel } from './ExplorePanel';
import { Legend } from './Legend';
import { CompactState } from './CompactState';
import { HerdLine } from './HerdVerdict';
import { ComparePanel } from './ComparePanel';

// CodeMirror and the parser load only when the editor is opened.
const EditorPane = lazy(() => import('./editor/EditorPane'));

/**
 * The page: narration, verdict and controls first, the timeline, then code
 * and state side by side. Talk mode is one screen: the timeline fills the
 * free height beside a compact state panel, and the verdict is one line.
 */
export function App() {
  const store = useAppStoreApi();
  const trace = useApp(selectTrace);
  const cursor = useApp(selectCursor);
  const status = useApp(selectStatus);
  const talk = useApp(selectTalk);
  // Tests and tools can tell a built-in from scenario text without reading the page.
  const source = useApp((s) => (s.text === null ? 'built-in' : 'text'));
  const setCursor = useApp((s) => s.setCursor);
  // The user's choice holds for the mode it was made in; otherwise the mode's
  // default: one line in talk mode, the whole trail in the normal view.
  const [editing, setEditing] = useState(false);
  const [verdictOpen, setVerdictOpen] = useState<{ talk: boolean; open: boolean } | null>(null);
  useKeyboard(store);

  useEffect(() => {
    // Full screen is a nicety: headless browsers and iframes refuse it.
    if (talk) document.documentElement.requestFullscreen?.().catch(() => {});
    else if (document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
  }, [talk]);

  const reached = trace?.violations.some((v) => cursor > v.step) ?? false;
  const open = verdictOpen?.talk === talk ? verdictOpen.open : !talk;
  const timeline = trace && (
    <Timeline trace={trace} cursor={cursor} talk={talk} onStepClick={setCursor} />
  );

  return (
    <div
      className={`app${talk ? ' talk' : ''}`}
      data-testid="app"
      data-status={status}
      data-source={source}
    >
      <header>
        <h1>lockstep</h1>
        <span className="tagline">KVM x86 MMU locking races, step by step</span>
        {!talk && <ScenarioPicker />}
        {!talk && (
          <button
            type="button"
            data-testid="open-editor"
            aria-expanded={editing}
            onClick={() => setEditing(!editing)}
          >
            {editing ? 'Hide the editor' : 'Edit scenario text'}
          </button>
        )}
      </header>
      <MessageBanner />
      {editing && !talk && (
        <Suspense fallback={<p className="loading">Loading the editor…</p>}>
          <EditorPane onClose={() => setEditing(false)} />
        </Suspense>
      )}
      <main>
        {status === 'loading' && !trace && (
          <p className="loading">Running the scenario in the engine worker…</p>
        )}
        {trace && (
          <>
            <Narration />
            <div
              className={`verdict-box${open ? '' : ' collapsed'}`}
              data-testid="verdict-box"
              data-collapsed={!open}
            >
              <ViolationPanel />
              <HerdLine />
              {reached && (
                <button
                  type="button"
                  className="verdict-toggle"
                  aria-expanded={open}
                  onClick={() => setVerdictOpen({ talk, open: !open })}
                >
                  {open ? 'One line' : 'Show the trail'}
                </button>
              )}
            </div>
            <Controls />
            <ExportControls />
            <ComparePanel />
            {!talk && <ThreadChooser />}
            {talk ? (
              <div className="talk-stage">
                {timeline}
                <CompactState />
              </div>
            ) : (
              timeline
            )}
            <Legend talk={talk} />
            {!talk && <ExplorePanel />}
            {!talk && (
              <div className="panes">
                <CodePane />
                <Inspector />
              </div>
            )}
          </>
        )}
      </main>
    </div>
  );
}
