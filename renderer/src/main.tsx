import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startStores, useUi } from './stores';
import './styles/base.css';
import './styles/layout.css';
import './styles/app.css';
import './styles/logs.css';

// The theme follows the OS unless the user picked one; the attribute drives every colour variable.
const media = window.matchMedia('(prefers-color-scheme: dark)');
const applyTheme = (): void => {
  const theme = useUi.getState().theme;
  document.documentElement.dataset.theme = theme === 'system' ? (media.matches ? 'dark' : 'light') : theme;
};
applyTheme();
media.addEventListener('change', applyTheme);
useUi.subscribe(applyTheme);

startStores();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
