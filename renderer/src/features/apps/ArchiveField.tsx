import { useRef, useState, type DragEvent } from 'react';
import { formatBytes } from '../../../../shared/format';
import { archiveIn } from '../../lib/archive-send';

export interface ArchiveFieldProps {
  file: File | undefined;
  onFile(file: File | undefined): void;
  root: string;
  onRoot(root: string): void;
  /** While the file is being sent: bytes so far. */
  sent?: number | undefined;
}

/** The archive a deployment builds from: dropped or chosen, with the folder inside it to build from. */
export function ArchiveField({ file, onFile, root, onRoot, sent }: ArchiveFieldProps) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    const found = archiveIn(e.dataTransfer.files);
    if (found) onFile(found);
  };
  return (
    <div className="archive-field">
      <div
        className={`drop-box${over ? ' over' : ''}${file ? ' has-file' : ''}`}
        data-testid="archive-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        {file ? (
          <>
            <div>
              <div className="small muted">Archive</div>
              <div className="mono" data-testid="archive-name">
                {file.name} · {formatBytes(file.size)}
              </div>
            </div>
            <span className="spacer" />
            {sent !== undefined ? (
              <span className="small muted">Sending {Math.floor((sent / Math.max(file.size, 1)) * 100)} %</span>
            ) : (
              <button type="button" className="btn small" onClick={() => onFile(undefined)}>
                Remove
              </button>
            )}
          </>
        ) : (
          <>
            <span className="muted">Drop a .zip or .tar.gz here to deploy it</span>
            <span className="spacer" />
            <button type="button" className="btn small" onClick={() => input.current?.click()}>
              Choose a file…
            </button>
          </>
        )}
        <input ref={input} type="file" hidden accept=".zip,.tar.gz,.tgz,application/zip,application/gzip" onChange={(e) => onFile(archiveIn(e.target.files))} />
      </div>
      {file && (
        <label className="field">
          <span>Folder inside the archive to build from</span>
          <input className="input mono" name="archive-root" value={root} onChange={(e) => onRoot(e.target.value)} placeholder="the archive's top" spellCheck={false} />
          <span className="hint">Checked before anything is sent: paths leading out, links pointing out, size limits, a Dockerfile in this folder.</span>
        </label>
      )}
    </div>
  );
}
