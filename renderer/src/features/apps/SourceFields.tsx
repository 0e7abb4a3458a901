import type { AppSource } from '../../../../shared/api/apps';

export type SourceKind = AppSource['kind'];

export interface SourceDraft {
  kind: SourceKind;
  location: string;
  ref: string;
}

export function draftOfSource(source: AppSource | undefined): SourceDraft {
  if (!source) return { kind: 'folder', location: '', ref: 'main' };
  if (source.kind === 'folder') return { kind: 'folder', location: source.path, ref: 'main' };
  if (source.kind === 'git') return { kind: 'git', location: source.url, ref: source.ref };
  return { kind: 'image', location: source.image, ref: 'main' };
}

export function sourceOfDraft(d: SourceDraft): AppSource {
  const location = d.location.trim();
  if (d.kind === 'folder') return { kind: 'folder', path: location };
  if (d.kind === 'git') return { kind: 'git', url: location, ref: d.ref.trim() || 'main' };
  return { kind: 'image', image: location };
}

export const sameSource = (a: AppSource, b: AppSource): boolean => JSON.stringify(a) === JSON.stringify(b);

const placeholders = { folder: '/home/me/code/shop-api', git: 'https://github.com/me/shop-api.git', image: 'nginx:1.27-alpine' };
const labels = { folder: 'Folder (with a Dockerfile)', git: 'Repository URL (reachable from the server)', image: 'Image' };

/** Where an app's code comes from: a folder on this computer, a git repository the server clones, or an image. */
export function SourceFields({ value, onChange }: { value: SourceDraft; onChange: (next: SourceDraft) => void }) {
  return (
    <>
      <div className="field">
        <span>Source</span>
        <div className="segmented" role="group" aria-label="Source">
          {(['folder', 'git', 'image'] as const).map((k) => (
            <button key={k} type="button" aria-pressed={value.kind === k} onClick={() => onChange({ ...value, kind: k })}>
              {k === 'folder' ? 'Folder on this computer' : k === 'git' ? 'Git repository' : 'Image'}
            </button>
          ))}
        </div>
      </div>
      <div className={value.kind === 'git' ? 'grid3' : undefined}>
        <label className="field">
          <span>{labels[value.kind]}</span>
          <input className="input mono" name="location" value={value.location} onChange={(e) => onChange({ ...value, location: e.target.value })} placeholder={placeholders[value.kind]} spellCheck={false} />
        </label>
        {value.kind === 'git' && (
          <label className="field">
            <span>Branch or tag</span>
            <input className="input mono" name="ref" value={value.ref} onChange={(e) => onChange({ ...value, ref: e.target.value })} />
          </label>
        )}
      </div>
    </>
  );
}
