import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { createLabStore } from './app/store.ts';
import './app/styles/app.css';
import { decodeUrlState, presetConfig } from './lib/urlState.ts';
import { createTrainingClient } from './worker/client.ts';

const container = document.getElementById('root');
if (!container) throw new Error('#root element missing from index.html');

const linked = Boolean(location.hash || location.search);
const link = decodeUrlState(location.hash || location.search);
// A first visit opens the fast CPU preset: the classic transformer takes minutes per thousand steps on a laptop.
const FIRST_PRESET = 'mlp';
const store = createLabStore({
  client: createTrainingClient,
  initialConfig: linked ? link.config : presetConfig(FIRST_PRESET),
  presetName: linked ? link.preset : FIRST_PRESET,
  classroom: link.classroom,
  schedule: link.schedule,
  notices: link.notices,
});

createRoot(container).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
