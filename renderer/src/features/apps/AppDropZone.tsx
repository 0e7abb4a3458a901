import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { archiveIn } from '../../lib/archive-send';
import { useUi } from '../../stores';

const carriesFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');

/** The app's page takes a dropped .zip or .tar.gz: the deploy dialog opens with it. */
export function AppDropZone({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  // enter and leave fire for every child crossed: count them so the hint does not flicker
  const depth = useRef(0);
  const [over, setOver] = useState(false);
  const [refused, setRefused] = useState<string>();
  if (!enabled) return <div className="app-drop">{children}</div>;
  return (
    <div
      className="app-drop"
      onDragEnter={(e) => {
        if (!carriesFiles(e)) return;
        depth.current++;
        setOver(true);
        setRefused(undefined);
      }}
      onDragLeave={(e) => {
        if (!carriesFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDragOver={(e) => {
        if (carriesFiles(e)) e.preventDefault();
      }}
      onDrop={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        const archive = archiveIn(e.dataTransfer.files);
        if (archive) useUi.getState().openDialog({ kind: 'deploy', archive });
        else setRefused('Only a .zip, .tar.gz or .tgz archive can be deployed by dropping it here.');
      }}
    >
      {children}
      {over && (
        <div className="drop-overlay" data-testid="drop-overlay">
          Drop a .zip or .tar.gz to deploy it
        </div>
      )}
      {refused && (
        <div className="drop-refused warn-box" role="alert">
          {refused}{' '}
          <button type="button" className="btn small" onClick={() => setRefused(undefined)}>
            OK
          </button>
        </div>
      )}
    </div>
  );
}
