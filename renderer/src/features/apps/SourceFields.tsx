import type { AppSource, PullPolicy } from '../../../../shared/api/apps';

export type SourceKind = AppSource['kind'];

/** Where a git source is fetched; '' leaves it to the engine (the server when it has git). */
export type FetchOnDraft = '' | 'server' | 'this-computer';

export interface SourceDraft {
  kind: SourceKind;
  location: string;
  ref: string;
  pull: PullPolicy;
  fetchOn: FetchOnDraft;
}

export function draftOfSource(source: AppSource | undefined): SourceDraft {
  const none = { ref: 'main', pull: 'missing', fetchOn: '' } as const;
  if (!source) return { ...none, kind: 'folder', location: '' };
  if (source.kind === 'folder') return { ...none, kind: 'folder', location: source.path };
  if (source.kind === 'git') return { ...none, kind: 'git', location: source.url, ref: source.ref, fetchOn: source.fetchOn ?? '' };
  if (source.kind === 'archive') return { ...none, kind: 'archive', location: source.root };
  return { ...none, kind: 'image', location: source.image, pull: source.pull };
}

export function sourceOfDraft(d: SourceDraft): AppSource {
  const location = d.location.trim();
  if (d.kind === 'folder') return { kind: 'folder', path: location };
  if (d.kind === 'git') return { kind: 'git', url: location, ref: d.ref.trim() || 'main', ...(d.fetchOn ? { fetchOn: d.fetchOn } : {}) };
  if (d.kind === 'archive') return { kind: 'archive', root: location.replace(/^\/+|\/+$/g, '') };
  return { kind: 'image', image: location, pull: d.pull };
}

export const sameSource = (a: AppSource, b: AppSource): boolean => JSON.stringify(a) === JSON.stringify(b);

const placeholders = { folder: '/home/me/code/shop-api', git: 'https://github.com/me/shop-api.git', image: 'nginx:1.27-alpine', archive: "the archive's top" };
const pullChoices: Array<{ value: PullPolicy; label: string }> = [
  { value: 'missing', label: 'When missing on the server' },
  { value: 'always', label: 'On every deploy' },
  { value: 'never', label: 'Never (use what the server has)' },
];

const fetchChoices: Array<{ value: FetchOnDraft; label: string }> = [
  { value: '', label: 'The server when it has git' },
  { value: 'server', label: 'The server' },
  { value: 'this-computer', label: 'This computer' },
];

const labels = {
  folder: 'Folder (with a Dockerfile)',
  git: 'Repository URL',
  image: 'Image',
  archive: 'Folder inside the archive to build from (optional)',
};
const names = { folder: 'Folder on this computer', git: 'Git repository', image: 'Image', archive: 'Archive' };

/**
 * Where an app's code comes from: a folder on this computer, a git repository (fetched on the server or here), an image, or a
 * .zip / .tar.gz dropped with each deployment.
 */
export function SourceFields({ value, onChange }: { value: SourceDraft; onChange: (next: SourceDraft) => void }) {
  return (
    <>
      <div className="field">
        <span>Source</span>
        <div className="segmented" role="group" aria-label="Source">
          {(['folder', 'git', 'image', 'archive'] as const).map((k) => (
            <button key={k} type="button" aria-pressed={value.kind === k} onClick={() => onChange({ ...value, kind: k })}>
              {names[k]}
            </button>
          ))}
        </div>
      </div>
      <div className={value.kind === 'git' || value.kind === 'image' ? 'grid3' : undefined}>
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
        {value.kind === 'git' && (
          <label className="field" title="The server fetches over its own network and keys, and the files never cross the link. This computer fetches with its own git and credentials and sends only the files that changed.">
            <span>Fetched on</span>
            <select className="select" name="fetchOn" value={value.fetchOn} onChange={(e) => onChange({ ...value, fetchOn: e.target.value as FetchOnDraft })}>
              {fetchChoices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
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
