import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { LiveClient, LiveProvider, liveUrl } from './lib/live.tsx';
import './styles.css';

const client = new LiveClient(liveUrl());
client.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <LiveProvider client={client}>
      <App />
    </LiveProvider>
  </StrictMode>,
);
