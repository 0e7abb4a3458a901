import { useEffect, useState } from 'react';
import type { RollbackSettings, RollbackSettingsPatch } from '../../../../shared/api/rollback';
import type { ErrorEnvelope } from '../../../../shared/errors';
import { ErrorText } from '../../components/ErrorText';
import { toError } from '../../lib/errors';
import { useRollback, useToasts } from '../../stores';

interface Draft {
  keepLast: string;
  autoRollback: boolean;
  watchS: string;
  watchFailures: string;
  cacheOnLaptop: boolean;
  registryUrl: string;
  registryUser: string;
  registryPassword: string;
}

function draftOf(s: RollbackSettings): Draft {
  return {
    keepLast: String(s.keepLast),
    autoRollback: s.autoRollback,
    watchS: String(Math.round(s.watchMs / 1000)),
    watchFailures: String(s.watchFailures),
    cacheOnLaptop: s.cacheOnLaptop,
    registryUrl: s.registry?.url ?? '',
    registryUser: s.registry?.username ?? '',
    registryPassword: '',
  };
}

function patchOf(d: Draft, before: RollbackSettings): RollbackSettingsPatch {
  const registry = d.registryUrl.trim()
    ? { url: d.registryUrl.trim(), username: d.registryUser.trim() || undefined, password: d.registryPassword || undefined }
    : before.registry
      ? null
      : undefined;
  return {
    keepLast: Number(d.keepLast),
    autoRollback: d.autoRollback,
    watchMs: Math.round(Number(d.watchS) * 1000),
    watchFailures: Number(d.watchFailures),
    cacheOnLaptop: d.cacheOnLaptop,
    ...(registry === undefined ? {} : { registry }),
  };
}

/** How many releases stay ready to roll back to, the watch after going live, and where images are kept. */
export function RollbackSettingsCard({ serverId, app }: { serverId: string; app: string }) {
  const settings = useRollback((s) => s.settings[`${serverId}/${app}`]);
  const [loadError, setLoadError] = useState<ErrorEnvelope>();

  useEffect(() => {
    useRollback
      .getState()
      .loadSettings(serverId, app)
      .catch((e) => setLoadError(toError(e)));
  }, [serverId, app]);

  return (
    <section className="card settings-section" aria-label="Rollback">
      <h2>Rollback and registry</h2>
      {loadError && !settings && <ErrorText error={loadError} />}
      {!settings && !loadError && <span className="muted">Reading…</span>}
      {settings && <Form key={JSON.stringify(settings)} serverId={serverId} app={app} settings={settings} />}
    </section>
  );
}

function Form({ serverId, app, settings }: { serverId: string; app: string; settings: RollbackSettings }) {
  const [draft, setDraft] = useState(() => draftOf(settings));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ErrorEnvelope>();
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(settings));
  const text = (key: 'keepLast' | 'watchS' | 'watchFailures' | 'registryUrl' | 'registryUser' | 'registryPassword') => ({
    value: draft[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setDraft((d) => ({ ...d, [key]: e.target.value })),
  });

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await useRollback.getState().updateSettings(serverId, app, patchOf(draft, settings));
      useToasts.getState().push({ title: 'Rollback settings saved', level: 'success' });
    } catch (e) {
      setError(toError(e));
      setSaving(false);
    }
  };

  return (
    <>
      <div className="grid3">
        <label className="field">
          <span>Releases kept ready to roll back to</span>
          <input className="input" inputMode="numeric" {...text('keepLast')} />
          <span className="hint">Their images stay on the server; pinned releases come on top.</span>
        </label>
        <label className="field">
          <span>Watch after going live (s)</span>
          <input className="input" inputMode="numeric" {...text('watchS')} disabled={!draft.autoRollback} />
        </label>
        <label className="field">
          <span>Failed probes that revert</span>
          <input className="input" inputMode="numeric" {...text('watchFailures')} disabled={!draft.autoRollback} />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.autoRollback} onChange={(e) => setDraft((d) => ({ ...d, autoRollback: e.target.checked }))} /> Roll back by itself when a new
        release fails its health check, during the switch or while watched
      </label>
      <label className="check">
        <input type="checkbox" checked={draft.cacheOnLaptop} onChange={(e) => setDraft((d) => ({ ...d, cacheOnLaptop: e.target.checked }))} /> Keep a copy of each
        release’s image on this computer too
      </label>
      <div className="grid3">
        <label className="field">
          <span>Registry (optional)</span>
          <input className="input mono" placeholder="registry.example.com/team" spellCheck={false} {...text('registryUrl')} />
          <span className="hint">Releases are pushed there, so a rollback works even after the server pruned its images.</span>
        </label>
        <label className="field">
          <span>User</span>
          <input className="input" autoComplete="off" {...text('registryUser')} disabled={!draft.registryUrl.trim()} />
        </label>
        <label className="field">
          <span>Password</span>
          <input className="input" type="password" autoComplete="off" placeholder={settings.registry?.passwordSet ? 'stored — type to replace' : ''} {...text('registryPassword')} disabled={!draft.registryUrl.trim()} />
        </label>
      </div>
      {error && <ErrorText error={error} />}
      <div className="row">
        <span className="spacer" />
        <button type="button" className="btn" disabled={!dirty || saving} onClick={() => setDraft(draftOf(settings))}>
          Discard
        </button>
        <button type="button" className="btn primary" disabled={!dirty || saving} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save rollback settings'}
        </button>
      </div>
    </>
  );
}
