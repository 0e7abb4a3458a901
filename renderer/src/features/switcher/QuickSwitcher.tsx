import { useEffect, useMemo, useRef, useState } from 'react';
import { ConnectionDot } from '../../components/Status';
import { useApps, useServers, useUi } from '../../stores';

interface Entry {
  kind: 'server' | 'app';
  serverId: string;
  app?: string;
  label: string;
  detail: string;
  color: string;
}

/** Ctrl/Cmd+K: type a few letters of a server or app, Enter goes there at once. */
export function QuickSwitcher() {
  const open = useUi((s) => s.switcherOpen);
  if (!open) return null;
  return <SwitcherBox />;
}

function score(text: string, query: string): number {
  if (!query) return 1;
  const t = text.toLowerCase();
  const q = query.toLowerCase();
  const at = t.indexOf(q);
  if (at === 0) return 3;
  if (at > 0) return 2;
  // Letters in order ("spi" finds "shop-api").
  let i = 0;
  for (const ch of t) if (ch === q[i]) i++;
  return i === q.length ? 1 : 0;
}

function SwitcherBox() {
  const servers = useServers((s) => s.servers);
  const statuses = useServers((s) => s.statuses);
  const byServer = useApps((s) => s.byServer);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const close = () => useUi.getState().openSwitcher(false);

  useEffect(() => {
    input.current?.focus();
    // Apps of servers not opened yet, so they can be found too.
    for (const s of useServers.getState().servers) if (!useApps.getState().byServer[s.id]?.loaded) void useApps.getState().load(s.id);
  }, []);

  const entries = useMemo(() => {
    const all: Entry[] = [];
    for (const s of servers) {
      all.push({ kind: 'server', serverId: s.id, label: s.name, detail: `${s.user}@${s.host}`, color: s.color });
      for (const a of byServer[s.id]?.list ?? []) all.push({ kind: 'app', serverId: s.id, app: a.name, label: a.name, detail: s.name, color: s.color });
    }
    return all
      .map((e) => ({ e, score: Math.max(score(e.label, query), score(`${e.detail} ${e.label}`, query) - 1) }))
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score)
      .map((x) => x.e)
      .slice(0, 50);
  }, [servers, byServer, query]);

  const go = (entry: Entry | undefined) => {
    if (!entry) return;
    const ui = useUi.getState();
    ui.selectServer(entry.serverId);
    if (entry.app) ui.selectApp(entry.app);
    close();
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, entries.length - 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    else if (e.key === 'Enter') go(entries[active]);
    else if (e.key === 'Escape') close();
    else return;
    e.preventDefault();
  };

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="switcher" role="dialog" aria-modal="true" aria-label="Switch to a server or an app">
        <input
          ref={input}
          className="switcher-input"
          placeholder="Go to a server or an app…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          role="combobox"
          aria-expanded="true"
          aria-controls="switcher-list"
          aria-activedescendant={entries[active] ? `sw-${active}` : undefined}
        />
        <ul className="switcher-list" id="switcher-list" role="listbox">
          {entries.length === 0 && <li className="switcher-empty">Nothing matches “{query}”.</li>}
          {entries.map((entry, i) => (
            <li
              key={`${entry.kind}:${entry.serverId}:${entry.app ?? ''}`}
              id={`sw-${i}`}
              role="option"
              aria-selected={i === active}
              className="switcher-item"
              onMouseMove={() => setActive(i)}
              onClick={() => go(entry)}
            >
              {entry.kind === 'server' ? <ConnectionDot state={statuses[entry.serverId]?.state} /> : <span className="app-glyph" style={{ borderColor: entry.color }} aria-hidden="true" />}
              <span className="label">{entry.label}</span>
              <span className="muted small">{entry.kind === 'server' ? entry.detail : `app on ${entry.detail}`}</span>
            </li>
          ))}
        </ul>
        <div className="switcher-foot muted small">
          <kbd>↑</kbd> <kbd>↓</kbd> to choose · <kbd>Enter</kbd> to go · <kbd>Esc</kbd> to close
        </div>
      </div>
    </div>
  );
}
