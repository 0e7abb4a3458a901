import type { AppSource, PullPolicy } from '../../../../shared/api/apps';

export type SourceKind = AppSource['kind'];

export interface SourceDraft {
  kind: SourceKind;
  location: string;
  ref: string;
  pull: PullPolicy;
}

export function draftOfSource(source: AppSource | undefined): SourceDraft {
  if (!source) return { kind: 'folder', location: '', ref: 'main', pull: 'missing' };
  if (source.kind === 'folder') return { kind: 'folder', location: source.path, ref: 'main', pull: 'missing' };
  if (source.kind === 'git') return { kind: 'git', location: source.url, ref: source.ref, pull: 'missing' };
  return { kind: 'image', location: source.image, ref: 'main', pull: source.pull };
}

export function sourceOfDraft(d: SourceDraft): AppSource {
  const location = d.location.trim();
  if (d.kind === 'folder') return { kind: 'folder', path: location };
  if (d.kind === 'git') return { kind: 'git', url: location, ref: d.ref.trim() || 'main' };
  return { kind: 'image', image: location, pull: d.pull };
}

export const sameSource = (a: AppSource, b: AppSource): boolean => JSON.stringify(a) === JSON.stringify(b);

const placeholders = { folder: '/home/me/code/shop-api', git: 'https://github.com/me/shop-api.git', image: 'nginx:1.27-alpine' };
const pullChoices: Array<{ value: PullPolicy; label: string }> = [
  { value: 'missing', label: 'When missing on the server' },
  { value: 'always', label: 'On every deploy' },
  { value: 'never', label: 'Never (use what the server has)' },
];

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
      <div className={value.kind === 'folder' ? undefined : 'grid3'}>
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
        {value.kind === 'image' && (
          <label className="field" title="When missing: a deploy uses the image already on the server and needs no registry. On every deploy: for a moving tag such as latest; fails when the registry cannot be reached.">
            <span>Pull</span>
            <select className="select" name="pull" value={value.pull} onChange={(e) => onChange({ ...value, pull: e.target.value as PullPolicy })}>
              {pullChoices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
    </>
  );
}
