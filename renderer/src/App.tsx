import { ProbePanel } from './features/servers/ProbePanel';

export function App() {
  return (
    <main className="app">
      <ProbePanel />
    </main>
  );
}
