import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { formatStamp, type LogBuffer } from '../../lib/log-buffer';
import { modKey } from '../../lib/format';
import { segmentsOf, type Segment } from './ansi';

export const ROW_PX = 18;
const OVERSCAN = 20;

interface LogViewerProps {
  buffer: LogBuffer;
  /** File name stem for "Save". */
  name: string;
  reconnecting?: boolean;
  /** A line under the toolbar: "follow ended: container exited", with a resume button, for example. */
  notice?: ReactNode;
  toolbar?: ReactNode;
  emptyText?: string;
}

/** Repaints at most once per frame however fast lines arrive. */
function useBufferVersion(buffer: LogBuffer): number {
  const frame = useRef(0);
  const subscribe = useCallback(
    (notify: () => void) => {
      const off = buffer.subscribe(() => {
        if (frame.current) return;
        frame.current = requestAnimationFrame(() => {
          frame.current = 0;
          notify();
        });
      });
      return () => {
        off();
        cancelAnimationFrame(frame.current);
        frame.current = 0;
      };
    },
    [buffer],
  );
  return useSyncExternalStore(subscribe, () => buffer.version);
}

/**
 * One viewer for build, deploy and container logs. Only the rows on screen exist in the DOM, so a million lines
 * scroll like ten; it follows the end until the user scrolls up, and End follows again.
 */
export function LogViewer({ buffer, name, reconnecting, notice, toolbar, emptyText = 'No lines yet.' }: LogViewerProps) {
  const version = useBufferVersion(buffer);
  const scroller = useRef<HTMLDivElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [follow, setFollow] = useState(true);
  const [stamps, setStamps] = useState(false);
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [current, setCurrent] = useState(0);
  const [copied, setCopied] = useState(false);
  const total = buffer.length;

  useEffect(() => {
    const t = setTimeout(() => setDebounced(query), 120);
    return () => clearTimeout(t);
  }, [query]);

  // eslint-disable-next-line react-hooks/exhaustive-deps -- the buffer mutates in place; version says when
  const hits = useMemo(() => buffer.matches(debounced), [buffer, debounced, version]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Following: stick to the last line as lines arrive.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (follow && el) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [follow, version, height]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_PX;
    if (atBottom !== follow) setFollow(atBottom);
  };

  const goTo = useCallback(
    (index: number) => {
      const el = scroller.current;
      if (!el) return;
      setFollow(false);
      el.scrollTop = Math.max(0, index * ROW_PX - el.clientHeight / 2);
      setScrollTop(el.scrollTop);
    },
    [],
  );

  const step = (delta: number) => {
    if (hits.length === 0) return;
    const next = (current + delta + hits.length) % hits.length;
    setCurrent(next);
    goTo(hits[next]!);
  };

  useEffect(() => {
    // A new search jumps to the first match at or after the middle of the screen.
    if (!debounced || hits.length === 0) return;
    const el = scroller.current;
    const middle = el ? Math.floor((el.scrollTop + el.clientHeight / 2) / ROW_PX) : 0;
    const first = Math.max(0, hits.findIndex((h) => h >= middle));
    setCurrent(first);
    goTo(hits[first]!);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the query changes, not on every new line
  }, [debounced]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && e.target.closest('input, textarea, select') !== null;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        searchBox.current?.focus();
        searchBox.current?.select();
      } else if (e.key === 'End' && !typing && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        setFollow(true);
      } else if (e.key === 'Home' && !typing && !e.ctrlKey && !e.metaKey && scroller.current) {
        e.preventDefault();
        setFollow(false);
        scroller.current.scrollTop = 0;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const copy = async () => {
    const selection = window.getSelection()?.toString();
    await navigator.clipboard.writeText(selection || buffer.toText(stamps));
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  const save = () => {
    const blob = new Blob([buffer.toText(stamps)], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + height) / ROW_PX) + OVERSCAN);
  const currentLine = hits[current];
  const needle = debounced.toLowerCase();
  const numberWidth = String(buffer.firstLineNumber + total).length;
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const stream = buffer.stream(i);
    rows.push(
      <div key={i} className={`log-row${stream === 'stderr' ? ' err' : stream === 'system' ? ' sys' : ''}${i === currentLine ? ' current' : ''}`} data-line={i}>
        <span className="ln" style={{ width: `${numberWidth + 1}ch` }}>
          {buffer.firstLineNumber + i}
        </span>
        {stamps && <span className="ts">{fmt(buffer.stamp(i))}</span>}
        <span className="lt">{renderLine(buffer.text(i), needle)}</span>
      </div>,
    );
  }

  return (
    <div className="log-viewer" data-testid="log-viewer">
      <div className="log-toolbar" role="toolbar" aria-label="Log tools">
        {toolbar}
        <div className="log-search">
          <input
            ref={searchBox}
            className="input"
            type="search"
            placeholder={`Search  ${modKey}F`}
            aria-label="Search the log"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                step(e.shiftKey ? -1 : 1);
              } else if (e.key === 'Escape') {
                setQuery('');
                scroller.current?.focus();
              }
            }}
          />
          <span className="match-count" data-testid="match-count" aria-live="polite">
            {debounced ? (hits.length ? `${current + 1} / ${hits.length}` : 'no match') : ''}
          </span>
          <button type="button" className="btn icon small" aria-label="Previous match" disabled={!hits.length} onClick={() => step(-1)}>
            ↑
          </button>
          <button type="button" className="btn icon small" aria-label="Next match" disabled={!hits.length} onClick={() => step(1)}>
            ↓
          </button>
        </div>
        <span className="spacer" />
        <label className="check small">
          <input type="checkbox" checked={stamps} onChange={(e) => setStamps(e.target.checked)} /> Timestamps
        </label>
        <button type="button" className="btn small" onClick={() => void copy()} title="Copies the selection, or the whole log">
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="btn small" onClick={save}>
          Save…
        </button>
        <button type="button" className="btn small" onClick={() => buffer.clear()} title="Clears this view; the log itself is kept">
          Clear
        </button>
      </div>
      {reconnecting && (
        <div className="log-banner" role="status">
          <span className="status-icon active">◌</span> reconnecting… lines resume where they stopped
        </div>
      )}
      {notice}
      <div className="log-scroll" ref={scroller} onScroll={onScroll} tabIndex={0} aria-label={`${name} log, ${total} lines`} data-testid="log-scroll">
        <div className="log-space" style={{ height: total * ROW_PX }}>
          <div className="log-rows" style={{ transform: `translateY(${first * ROW_PX}px)` }}>
            {rows}
          </div>
        </div>
        {total === 0 && <div className="log-empty">{emptyText}</div>}
      </div>
      <div className="log-status">
        <span data-testid="line-count">
          {total.toLocaleString('en-US')} {total === 1 ? 'line' : 'lines'}
        </span>
        <span className="spacer" />
        {follow ? (
          <span className="tone-green">● following</span>
        ) : (
          <button type="button" className="btn small" onClick={() => setFollow(true)}>
            Paused — follow <kbd>End</kbd>
          </button>
        )}
      </div>
    </div>
  );
}

function fmt(ts: string | number | undefined): string {
  return ts === undefined ? '' : formatStamp(ts);
}

function renderLine(text: string, needle: string): ReactNode {
  const segments = segmentsOf(text);
  if (segments.length === 1 && !segments[0]!.className && !segments[0]!.color && !segments[0]!.background) {
    return needle ? mark(segments[0]!.text, needle) : segments[0]!.text;
  }
  return segments.map((s, i) => (
    <span key={i} className={s.className} style={segStyle(s)}>
      {needle ? mark(s.text, needle) : s.text}
    </span>
  ));
}

function segStyle(s: Segment): React.CSSProperties | undefined {
  if (!s.color && !s.background) return undefined;
  return { color: s.color, background: s.background };
}

function mark(text: string, needle: string): ReactNode {
  const lower = text.toLowerCase();
  let at = lower.indexOf(needle);
  if (at < 0) return text;
  const parts: ReactNode[] = [];
  let from = 0;
  while (at >= 0) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(<mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
    at = lower.indexOf(needle, from);
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}
