import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ImportCandidate, ProbeResult, Server, ServerInput } from '../../../../shared/api/servers';
import { DEFAULT_PROXY_IMAGE } from '../../../../shared/defaults';
import type { ErrorEnvelope } from '../../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { toError } from '../../lib/errors';
import { useServers, useUi } from '../../stores';
import { Reveal } from '../../components/Reveal';
import { HostKeyCard } from './HostKeyCard';

export const SERVER_COLORS = ['#4f7cff', '#2bb3a3', '#e0803a', '#c44fd6', '#d64545', '#6b8e23', '#8a94a6'];

type Mode = 'host' | 'ssh-config' | 'docker-context';
type Auth = 'agent' | 'key';

interface Form {
  name: string;
  host: string;
  port: string;
  user: string;
  auth: Auth;
  keyPath: string;
  passphrase: string;
  alias: string;
  color: string;
  dockerSocket: string;
  proxyPort: string;
  proxyImage: string;
  proxyBind: string;
}

function formFrom(server: Server | undefined, index: number): Form {
  return {
    name: server?.name ?? '',
    host: server?.host ?? '',
    port: String(server?.port ?? 22),
    user: server?.user ?? 'root',
    auth: server?.auth.kind === 'agent' ? 'agent' : 'key',
    keyPath: server?.auth.kind === 'key' ? server.auth.keyPath : '',
    passphrase: '',
    alias: server?.auth.kind === 'sshConfig' ? server.auth.alias : '',
    color: server?.color ?? SERVER_COLORS[index % SERVER_COLORS.length]!,
    dockerSocket: server?.dockerSocket ?? '/var/run/docker.sock',
    proxyPort: String(server?.proxy.httpPort ?? 80),
    proxyImage: server?.proxy.image ?? DEFAULT_PROXY_IMAGE,
    proxyBind: server?.proxy.bindAddress ?? '0.0.0.0',
  };
}

/** Add a server (or edit one): by host, or from a ~/.ssh/config alias or a Docker context; test it before saving. */
export function ServerDialog({ serverId }: { serverId?: string }) {
  const servers = useServers((s) => s.servers);
  const editing = servers.find((s) => s.id === serverId);
  const [form, setForm] = useState<Form>(() => formFrom(editing, servers.length));
  const [mode, setMode] = useState<Mode>(editing?.auth.kind === 'sshConfig' ? 'ssh-config' : 'host');
  const [candidates, setCandidates] = useState<ImportCandidate[] | undefined>();
  const [candidatesError, setCandidatesError] = useState<ErrorEnvelope>();
  const [testing, setTesting] = useState(false);
  const [probe, setProbe] = useState<ProbeResult>();
  const [error, setError] = useState<ErrorEnvelope>();
  const [saving, setSaving] = useState(false);
  const close = () => useUi.getState().openDialog(undefined);
  const prompts = useServers((s) => s.prompts);
  const port = Number(form.port);
  const prompt = prompts.find((p) => p.host === form.host.trim() && p.port === port) ?? (testing ? prompts[0] : undefined);

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setProbe(undefined);
  };

  useEffect(() => {
    if (mode === 'host' || candidates) return;
    useServers
      .getState()
      .importCandidates()
      .then(setCandidates, (e) => setCandidatesError(toError(e)));
  }, [mode, candidates]);

  const listed = useMemo(
    () => (candidates ?? []).filter((c) => (mode === 'ssh-config' ? c.source === 'ssh-config' : c.source === 'docker-context')),
    [candidates, mode],
  );

  const pick = (c: ImportCandidate) => {
    const input = c.input;
    setForm((f) => ({
      ...f,
      name: f.name || c.name,
      host: input.host,
      port: String(input.port ?? 22),
      user: input.user ?? 'root',
      auth: input.auth.kind === 'agent' ? 'agent' : 'key',
      keyPath: input.auth.kind === 'key' ? input.auth.keyPath : f.keyPath,
      alias: input.auth.kind === 'sshConfig' ? input.auth.alias : '',
    }));
    setProbe(undefined);
  };

  const toInput = (): ServerInput => {
    const auth: ServerInput['auth'] =
      form.alias && mode === 'ssh-config'
        ? { kind: 'sshConfig', alias: form.alias }
        : form.auth === 'agent'
          ? { kind: 'agent' }
          : { kind: 'key', keyPath: form.keyPath.trim() };
    return {
      name: form.name.trim() || form.alias || form.host.trim(),
      host: form.host.trim(),
      port,
      user: form.user.trim() || 'root',
      auth,
      color: form.color,
      dockerSocket: form.dockerSocket.trim() || '/var/run/docker.sock',
      proxy: { httpPort: Number(form.proxyPort) || 80, image: form.proxyImage.trim() || DEFAULT_PROXY_IMAGE, bindAddress: form.proxyBind.trim() || '0.0.0.0' },
    };
  };

  const canTest = form.host.trim() !== '' && form.auth === 'key' && form.keyPath.trim() !== '' && !(mode === 'ssh-config' && form.alias);

  const test = async () => {
    setTesting(true);
    setError(undefined);
    setProbe(undefined);
    try {
      setProbe(
        await useServers.getState().probe({
          host: form.host.trim(),
          port,
          user: form.user.trim() || 'root',
          keyPath: form.keyPath.trim(),
          passphrase: form.passphrase || undefined,
          dockerSocket: form.dockerSocket.trim() || undefined,
        }),
      );
    } catch (e) {
      setError(toError(e));
    } finally {
      setTesting(false);
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      const store = useServers.getState();
      const server = editing ? await store.update(editing.id, toInput()) : await store.add(toInput());
      if (form.auth === 'key' && form.passphrase) await store.setPassphrase(server.id, form.passphrase);
      useUi.getState().selectServer(server.id);
      close();
      void store.connect(server.id);
    } catch (e) {
      setError(toError(e));
      setSaving(false);
    }
  };

  const invalid = form.host.trim() === '' || (form.auth === 'key' && !form.alias && form.keyPath.trim() === '') || !(port >= 1 && port <= 65535);

  return (
    <Dialog
      title={editing ? `Edit ${editing.name}` : 'Add a server'}
      onClose={close}
      footer={
        <>
          <span className="muted small spacer">Needs only SSH and Docker on the server.</span>
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" form="server-form" className="btn primary" disabled={invalid || saving}>
            {saving ? 'Saving…' : editing ? 'Save' : 'Add server'}
          </button>
        </>
      }
    >
      <form id="server-form" className="form" onSubmit={save}>
        {!editing && (
          <div className="segmented" role="group" aria-label="Where the connection details come from">
            {(
              [
                ['host', 'Host and key'],
                ['ssh-config', '~/.ssh/config'],
                ['docker-context', 'Docker context'],
              ] as const
            ).map(([value, label]) => (
              <button key={value} type="button" aria-pressed={mode === value} onClick={() => setMode(value)}>
                {label}
              </button>
            ))}
          </div>
        )}

        {mode !== 'host' && (
          <div className="candidates">
            {candidatesError && <ErrorText error={candidatesError} />}
            {!candidates && !candidatesError && <span className="muted">Reading {mode === 'ssh-config' ? '~/.ssh/config' : 'Docker contexts'}…</span>}
            {candidates && listed.length === 0 && (
              <span className="muted">
                {mode === 'ssh-config'
                  ? 'No Host entries found in ~/.ssh/config. Enter the host by hand instead.'
                  : 'No Docker contexts with an ssh:// endpoint found. Enter the host by hand instead.'}
              </span>
            )}
            {listed.map((c) => (
              <button
                key={`${c.source}:${c.name}`}
                type="button"
                className="candidate"
                aria-pressed={form.host === c.input.host && (form.alias === '' || form.alias === (c.input.auth.kind === 'sshConfig' ? c.input.auth.alias : ''))}
                onClick={() => pick(c)}
              >
                <span className="name">{c.name}</span>
                <span className="muted small">
                  {c.input.user ?? 'root'}@{c.input.host}:{c.input.port ?? 22}
                </span>
              </button>
            ))}
          </div>
        )}

        <div className="grid3">
          <label className="field">
            <span>Host</span>
            <input className="input" name="host" value={form.host} onChange={(e) => set('host', e.target.value)} placeholder="203.0.113.7 or server.example.com" data-autofocus autoComplete="off" spellCheck={false} />
          </label>
          <label className="field">
            <span>Port</span>
            <input className="input" name="port" value={form.port} onChange={(e) => set('port', e.target.value)} inputMode="numeric" aria-invalid={!(port >= 1 && port <= 65535)} />
          </label>
          <label className="field">
            <span>User</span>
            <input className="input" name="user" value={form.user} onChange={(e) => set('user', e.target.value)} autoComplete="off" spellCheck={false} />
          </label>
        </div>

        {!(mode === 'ssh-config' && form.alias) && (
          <div className="field">
            <span>Authentication</span>
            <div className="segmented" role="group" aria-label="Authentication">
              <button type="button" aria-pressed={form.auth === 'key'} onClick={() => set('auth', 'key')}>
                Key file
              </button>
              <button type="button" aria-pressed={form.auth === 'agent'} onClick={() => set('auth', 'agent')}>
                SSH agent
              </button>
            </div>
          </div>
        )}
        {mode === 'ssh-config' && form.alias && (
          <p className="muted small">
            Connects as <code>{form.alias}</code> with the HostName, Port, User, IdentityFile and ProxyJump of ~/.ssh/config.
          </p>
        )}
        {form.auth === 'key' && !(mode === 'ssh-config' && form.alias) && (
          <div className="grid2">
            <label className="field">
              <span>Private key file</span>
              <input className="input" name="keyPath" value={form.keyPath} onChange={(e) => set('keyPath', e.target.value)} placeholder="~/.ssh/id_ed25519" spellCheck={false} />
            </label>
            <label className="field">
              <span>Passphrase (if the key has one)</span>
              <input className="input" name="passphrase" type="password" value={form.passphrase} onChange={(e) => set('passphrase', e.target.value)} autoComplete="off" placeholder="Kept in the system keychain" />
            </label>
          </div>
        )}
        {form.auth === 'agent' && <p className="muted small">Uses the keys your ssh-agent holds (SSH_AUTH_SOCK).</p>}

        <div className="grid2">
          <label className="field">
            <span>Name</span>
            <input className="input" name="name" value={form.name} onChange={(e) => set('name', e.target.value)} placeholder={form.alias || form.host || 'prod-eu'} />
          </label>
          <div className="field">
            <span>Colour</span>
            <div className="swatches" role="radiogroup" aria-label="Colour">
              {SERVER_COLORS.map((c) => (
                <button key={c} type="button" role="radio" aria-checked={form.color === c} aria-label={c} className="swatch" style={{ background: c }} onClick={() => set('color', c)} />
              ))}
            </div>
          </div>
        </div>

        <details className="advanced" open={form.dockerSocket !== '/var/run/docker.sock' || undefined}>
          <summary>Advanced: Docker socket and edge proxy</summary>
          <div className="grid2">
            <label className="field">
              <span>Docker socket on the server</span>
              <input className="input mono" name="dockerSocket" value={form.dockerSocket} onChange={(e) => set('dockerSocket', e.target.value)} spellCheck={false} />
            </label>
            <label className="field">
              <span>Edge proxy image</span>
              <input className="input mono" name="proxyImage" value={form.proxyImage} onChange={(e) => set('proxyImage', e.target.value)} spellCheck={false} />
            </label>
            <label className="field">
              <span>Edge proxy HTTP port</span>
              <input className="input" name="proxyPort" value={form.proxyPort} onChange={(e) => set('proxyPort', e.target.value)} inputMode="numeric" />
            </label>
            <label className="field">
              <span>Edge proxy binds to</span>
              <input className="input mono" name="proxyBind" value={form.proxyBind} onChange={(e) => set('proxyBind', e.target.value)} spellCheck={false} />
            </label>
          </div>
        </details>

        <div className="test-row">
          <button type="button" className="btn" onClick={() => void test()} disabled={!canTest || testing} title={canTest ? undefined : 'Testing needs a host and a key file; agent and alias servers are tested when added.'}>
            {testing ? 'Connecting…' : 'Test connection'}
          </button>
          {testing && !prompt && <span className="muted">Opening SSH to {form.host}:{form.port}…</span>}
        </div>
        {prompt && (
          <Reveal key={prompt.promptId}>
            <HostKeyCard prompt={prompt} />
          </Reveal>
        )}
        {probe && (
          <Reveal className="ok-box" key="probe">
            <div data-testid="probe-result">
              <strong>Connected.</strong> Docker {probe.dockerVersion} (API {probe.apiVersion}) on {probe.os}/{probe.arch} · {Math.round(probe.elapsedMs)} ms
            </div>
            <div className="muted small mono">host key {probe.hostKeyFingerprint}</div>
          </Reveal>
        )}
        {error && (
          <Reveal key={`${error.code}:${error.message}`}>
            <ErrorText error={error} boxed />
          </Reveal>
        )}
      </form>
    </Dialog>
  );
}
