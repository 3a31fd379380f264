import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { createEngineClient } from './worker/client';
import './ui/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain <div id="root">');

// The engine runs only in the worker; the page gets a client to it.
createRoot(root).render(
  <StrictMode>
    <App client={createEngineClient()} />
  </StrictMode>,
);
