import type { AppHealth, EdgeProxySettings, PartHealth, ProxySettingsCheck, ServerHealth } from '../../../shared/api/servers';
import type { AppFact, HealthFacts, ProxyFact } from './health-facts';

const unchecked = (why: string): PartHealth => ({ state: 'unchecked', detail: `not checked: ${why}` });

/** The restart policy that brings the proxy back by itself after Docker restarts (see PROXY_RESTART). */
const SELF_RESTARTING = 'always';

/**
 * The server's health from the facts gathered once: each part on its own line, a part below a failed one marked
 * unchecked (never guessed), and every part that is down with the step that fixes it.
 */
export function judgeHealth(facts: HealthFacts): ServerHealth {
  const ssh = judgeSsh(facts);
  const docker = judgeDocker(facts);
  const routed = facts.apps.some((a) => a.live?.routed);
  const proxy = judgeProxy(facts, routed);
  const apps = facts.apps.map((a) => judgeApp(facts, a, proxy.state === 'ok' || proxy.state === 'warning'));
  const proxySettings = compareSettings(facts.proxy, facts.mine);
  if (proxySettings.differs.length > 0 && proxy.state === 'ok') {
    Object.assign(proxy, settingsWarning(facts, proxySettings));
  }
  const parts = [ssh, docker, proxy, ...apps];
  return { serverId: facts.serverId, ok: !parts.some((p) => p.state === 'down'), ssh, docker, proxy, proxySettings, apps, checkedAt: facts.checkedAt };
}

function judgeSsh(facts: HealthFacts): PartHealth {
  if (facts.local) return { state: 'ok', detail: 'not used: the local Docker socket' };
  if (facts.ssh.ok) return { state: 'ok', detail: 'connected' };
  return {
    state: 'down',
    detail: facts.ssh.error.message,
    code: facts.ssh.error.code,
    fix: `Check that ${facts.serverName} is up and its SSH server answers, then run \`berth server show ${facts.serverId}\`.`,
  };
}

function judgeDocker(facts: HealthFacts): PartHealth {
  if (!facts.docker) return unchecked('no SSH link');
  if (facts.docker.ok) return { state: 'ok', detail: 'answers (ping through the link)' };
  return {
    state: 'down',
    detail: `Docker does not answer: ${facts.docker.error.message}`,
    code: facts.docker.error.code,
    fix: `Start the Docker daemon on ${facts.serverName} (e.g. \`systemctl start docker\`); the edge proxy and the apps start again by themselves.`,
  };
}

function judgeProxy(facts: HealthFacts, routed: boolean): PartHealth {
  const fact = facts.proxy;
  if (!fact) return unchecked(facts.docker ? 'Docker does not answer' : 'no SSH link');
  const c = fact.container;
  if (!c) {
    if (!routed) return { state: 'ok', detail: 'not needed yet: no live app is routed through it' };
    return { state: 'down', detail: 'no edge proxy (berth-proxy) on the server: routed apps get no traffic', fix: `Run \`berth server proxy apply ${facts.serverId}\` to start it.` };
  }
  const where = c.settings ? ` (${c.settings.image}, ${c.settings.bindAddress}:${c.settings.httpPort})` : '';
  if (!c.running) {
    return {
      state: 'down',
      detail: `berth-proxy is ${c.status}${c.status === 'exited' ? ` (exit code ${c.exitCode})` : ''}: routed apps get no traffic`,
      fix: 'Berth starts it again when it next connects to the server; to start it now run `docker start berth-proxy` there, or see `docker logs berth-proxy` if it keeps stopping.',
    };
  }
  if (fact.api && !fact.api.ok) {
    return { state: 'down', detail: `berth-proxy runs but does not answer: ${fact.api.error.message}`, code: fact.api.error.code, fix: 'See `docker logs berth-proxy` on the server.' };
  }
  if (c.restartPolicy !== SELF_RESTARTING) {
    return {
      state: 'warning',
      detail: `berth-proxy runs and answers${where}, but with restart policy "${c.restartPolicy || 'no'}" it may stay down after Docker restarts`,
      fix: 'Berth sets restart policy "always" when it next connects to the server (or run `docker update --restart always berth-proxy` there).',
    };
  }
  return { state: 'ok', detail: `running and answering${where}` };
}

function judgeApp(facts: HealthFacts, a: AppFact, proxyUp: boolean): AppHealth {
  const verdict = judgeLiveRelease(facts, a, proxyUp);
  // a deployment under way stops, replaces or switches the live release: what that does is not a failure
  if (verdict.state !== 'down' || !a.busy) return verdict;
  const { fix: _fix, ...rest } = verdict;
  return { ...rest, state: 'warning', detail: `${verdict.detail}, while ${a.busy}: not counted as down` };
}

function judgeLiveRelease(facts: HealthFacts, a: AppFact, proxyUp: boolean): AppHealth {
  const base = { app: a.app, deploymentId: a.live?.deploymentId ?? null, seq: a.live?.seq ?? null, running: a.running ?? 0, expected: a.live?.expected ?? 0 };
  if (!a.live) return { ...base, state: 'unchecked', detail: 'no live release' };
  const seq = `#${a.live.seq}`;
  if (a.running === undefined) return { ...base, ...unchecked(facts.docker?.ok === false || !facts.docker ? 'Docker does not answer' : 'its containers could not be listed') };
  if (a.running === 0) {
    const instead = a.other ? `; deployment ${a.other} runs instead` : '';
    const reason = stopReason(a);
    return {
      ...base,
      state: 'down',
      reason,
      detail: `${seq} is recorded live, but none of its ${a.live.expected} container(s) or task(s) runs (${reason})${instead}`,
      fix: `Start it again (\`docker start\` on the server, or \`berth deploy ${a.app}\`) or roll back (\`berth rollback ${a.app}\`); \`berth logs ${a.app}\` shows why it stopped.`,
    };
  }
  const count = `${a.running}/${a.live.expected} running`;
  if (!a.live.routed) {
    if (a.unhealthy) {
      const reason = `health check failing${a.unhealthy.output ? ` (${a.unhealthy.output})` : ''}`;
      return { ...base, state: 'down', reason, detail: `${seq}: ${count}, but Docker's health check fails on ${a.unhealthy.name}${a.unhealthy.output ? `: ${a.unhealthy.output}` : ''}`, fix: `See \`berth logs ${a.app}\`; deploy again or roll back.` };
    }
    return a.running < a.live.expected
      ? { ...base, state: 'warning', detail: `${seq}: only ${count} (not behind the edge proxy)`, fix: `Deploy it again (\`berth deploy ${a.app}\`).` }
      : { ...base, state: 'ok', detail: `${seq}: ${count} (not behind the edge proxy)` };
  }
  if (!proxyUp || !a.probe) return { ...base, state: 'down', reason: 'edge proxy down', detail: `${seq}: ${count}, but no traffic reaches it: the edge proxy is down`, fix: 'Bring the edge proxy back (see its line).' };
  if (!a.probe.ok) {
    return {
      ...base,
      state: 'down',
      reason: `health check failing (${a.probe.detail})`,
      detail: `${seq}: ${count}, but it does not answer through the edge proxy (${a.probe.detail})`,
      fix: `See \`berth logs ${a.app}\`; deploy again or roll back.`,
    };
  }
  if (a.running < a.live.expected) return { ...base, state: 'warning', detail: `${seq}: only ${count}; answers through the edge proxy (${a.probe.detail})`, fix: `Deploy it again (\`berth deploy ${a.app}\`).` };
  return { ...base, state: 'ok', detail: `${seq}: ${count}, answers through the edge proxy (${a.probe.detail})` };
}

/** Why a live release that runs nothing stopped, from what Docker says about its containers or the events seen. */
export function stopReason(a: AppFact): string {
  const limit = a.live?.memoryMb ? ` (memory limit ${a.live.memoryMb} MB)` : '';
  const exit = a.exits?.[a.exits.length - 1];
  const c = a.stopped?.[0];
  if (c?.oomKilled || exit?.oom) return `OOM-killed${limit}`;
  if (c) {
    if (c.error) return `${c.name} could not start: ${c.error}`;
    return c.restarting ? `restarting after exiting with code ${c.exitCode}` : `exited with code ${c.exitCode}`;
  }
  if (exit?.exitCode !== null && exit?.exitCode !== undefined) return `exited with code ${exit.exitCode}`;
  const taskExit = /non-zero exit \((\d+)\)/.exec(a.taskError ?? '');
  if (taskExit) return `exited with code ${taskExit[1]}`;
  if (a.taskError) return a.taskError;
  return 'its containers are gone';
}

const FIELDS = ['httpPort', 'image', 'bindAddress'] as const;

/** The server's proxy settings are the truth; this Berth's entry only says what it would set when asked to. */
export function compareSettings(proxy: ProxyFact | undefined, mine: EdgeProxySettings): ProxySettingsCheck {
  const onServer = proxy?.container?.settings ?? null;
  return { onServer, mine, differs: onServer ? FIELDS.filter((f) => onServer[f] !== mine[f]) : [] };
}

function settingsWarning(facts: HealthFacts, check: ProxySettingsCheck): PartHealth {
  const server = check.onServer!;
  const describe = (s: EdgeProxySettings): string => check.differs.map((f) => `${f} ${String(s[f])}`).join(', ');
  return {
    state: 'warning',
    detail: `running and answering, with the server's settings (${describe(server)}); this Berth's entry says ${describe(check.mine)}`,
    fix: `Berth keeps the server's settings. To change them run \`berth server proxy apply ${facts.serverId}\`; to match them edit this server's proxy settings.`,
  };
}
