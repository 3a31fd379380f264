import { useApp } from './storeContext';
import { selectMessage } from '../store/selectors';

/** A plain-text message (broken link, failed request). Text only: never rendered as HTML. */
export function MessageBanner() {
  const message = useApp(selectMessage);
  const dismiss = useApp((s) => s.showMessage);
  if (!message) return null;
  return (
    <div className="message" role="alert" data-testid="message">
      <span>{message}</span>
      <button type="button" onClick={() => dismiss(null)} aria-label="Dismiss message">
        ✕
      </button>
    </div>
  );
}
