import { useState, type FormEvent } from 'react';
import { api } from '../../bridge/client';
import { useProbeStore } from '../../stores/probe';

export function ProbePanel() {
  const { running, result, error, probe } = useProbeStore();
  const [host, setHost] = useState('');
  const [port, setPort] = useState('22');
  const [user, setUser] = useState('root');
  const [keyPath, setKeyPath] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void probe(api, { host, port: Number(port), user, keyPath });
  };

  return (
    <section className="card probe">
      <h1>Test a server</h1>
      <form onSubmit={submit}>
        <label>
          Host <input name="host" value={host} onChange={(e) => setHost(e.target.value)} placeholder="203.0.113.7" required />
        </label>
        <label>
          Port <input name="port" value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" />
        </label>
        <label>
          User <input name="user" value={user} onChange={(e) => setUser(e.target.value)} />
        </label>
        <label>
          Private key <input name="keyPath" value={keyPath} onChange={(e) => setKeyPath(e.target.value)} placeholder="~/.ssh/id_ed25519" required />
        </label>
        <button type="submit" disabled={running}>
          {running ? 'Connecting…' : 'Test connection'}
        </button>
      </form>
      {result && (
        <p className="ok" data-testid="probe-result">
          Docker {result.dockerVersion} (API {result.apiVersion}) on {result.os} · {result.hostKeyFingerprint}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error.message} <code>{error.code}</code>
        </p>
      )}
    </section>
  );
}
