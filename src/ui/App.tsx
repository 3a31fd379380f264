import { useEffect } from 'react';
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

/** The page: narration and controls first, the timeline, then code and state side by side. */
export function App() {
  const store = useAppStoreApi();
  const trace = useApp(selectTrace);
  const cursor = useApp(selectCursor);
  const status = useApp(selectStatus);
  const talk = useApp(selectTalk);
  const setCursor = useApp((s) => s.setCursor);
  useKeyboard(store);

  useEffect(() => {
    // Full screen is a nicety: headless browsers and iframes refuse it.
    if (talk) document.documentElement.requestFullscreen?.().catch(() => {});
    else if (document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
  }, [talk]);

  return (
    <div className={`app${talk ? ' talk' : ''}`} data-testid="app" data-status={status}>
      <header>
        <h1>lockstep</h1>
        <span className="tagline">KVM x86 MMU locking races, step by step</span>
        {!talk && <ScenarioPicker />}
      </header>
      <MessageBanner />
      <main>
        {status === 'loading' && !trace && (
          <p className="loading">Running the scenario in the engine worker…</p>
        )}
        {trace && (
          <>
            <Narration />
            <ViolationPanel />
            <Controls />
            <ExportControls />
            {!talk && <ThreadChooser />}
            <Timeline trace={trace} cursor={cursor} talk={talk} onStepClick={setCursor} />
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
