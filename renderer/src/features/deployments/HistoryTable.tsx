import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useLayoutEffect, useRef, useState } from 'react';
import type { Deployment } from '../../../../shared/api/deployments';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { Menu } from '../../components/Menu';
import { StatusBadge } from '../../components/Status';
import { clockTime, duration, shortCommit, shortDuration, shortImage, timeAgo } from '../../lib/format';
import { formatBytes } from '../../../../shared/format';
import { useNow } from '../../lib/use-now';
import { useRollback, useToasts, useUi } from '../../stores';
import { ReleaseDockerfileDialog } from '../builds/ReleaseDockerfileDialog';
import { ReleaseNoteDialog } from './ReleaseNoteDialog';

const reasonStatuses = new Set(['failed', 'rolled-back', 'interrupted', 'cancelled']);

function started(d: Deployment): string | undefined {
  return d.timestamps.queued ?? d.timestamps.building ?? d.timestamps.starting;
}

function took(d: Deployment, now: number): number | undefined {
  const from = d.timestamps.building ?? d.timestamps.starting ?? d.timestamps.queued;
  if (!from) return undefined;
  const to = d.finishedAt ?? d.timestamps.live;
  return (to ? Date.parse(to) : now) - Date.parse(from);
}

const ROW_PX = 31;
const REASON_PX = 26;

/**
 * Every deployment of an app, newest first, with what can be done to each. Only the rows in view are in the DOM
 * (one <tbody> per deployment, measured), so a history of thousands opens as fast as one of ten.
 */
export function HistoryTable({ serverId, app, list }: { serverId: string; app: string; list: Deployment[] }) {
  const [deleting, setDeleting] = useState<Deployment>();
  const [noting, setNoting] = useState<Deployment>();
  const [showing, setShowing] = useState<Deployment>();
  const now = useNow(5_000);
  const table = useRef<HTMLTableElement>(null);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [margin, setMargin] = useState(0);

  useLayoutEffect(() => {
    const el = table.current;
    const parent = el?.closest<HTMLElement>('.page-body') ?? null;
    setScroller(parent);
    if (!el || !parent) return;
    // Where the rows start inside the scrolling page: below the queue, the running card and the header row.
    const measure = () => {
      const head = el.tHead?.getBoundingClientRect().height ?? 0;
      setMargin(el.getBoundingClientRect().top - parent.getBoundingClientRect().top + parent.scrollTop + head);
    };
    measure();
    const ro = new ResizeObserver(measure);
    if (parent.firstElementChild) ro.observe(parent.firstElementChild);
    return () => ro.disconnect();
  }, []);

  // eslint-disable-next-line react-hooks/incompatible-library -- used as documented; the React Compiler is not in this build
  const rows = useVirtualizer({
    count: list.length,
    getScrollElement: () => scroller,
    estimateSize: (i) => ROW_PX + (hasReason(list[i]!) ? REASON_PX : 0) + (pushFailed(list[i]!) ? REASON_PX : 0),
    getItemKey: (i) => list[i]!.id,
    overscan: 12,
    scrollMargin: margin,
    initialRect: { width: 1200, height: 900 },
  });
  const items = rows.getVirtualItems();
  const top = items.length ? items[0]!.start - margin : 0;
  const bottom = items.length ? rows.getTotalSize() - (items[items.length - 1]!.end - margin) : 0;

  return (
    <>
      <table ref={table} className="table history" data-testid="history" aria-rowcount={list.length + 1}>
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Title</th>
            <th>Commit</th>
            <th>Status</th>
            <th>Started</th>
            <th className="num">Took</th>
            <th className="num" title="Time no healthy version was routed while switching">Switch gap</th>
            <th>Image</th>
            <th title="Can be rolled back to">⟲</th>
            <th aria-label="Pinned" />
            <th aria-label="Actions" />
          </tr>
        </thead>
        {top > 0 && <Spacer height={top} />}
        {items.map((item) => {
          const d = list[item.index]!;
          return (
            <tbody key={d.id} ref={rows.measureElement} data-index={item.index}>
              <Row d={d} serverId={serverId} app={app} now={now} onDelete={setDeleting} onNote={setNoting} onDockerfile={setShowing} />
            </tbody>
          );
        })}
        {bottom > 0 && <Spacer height={bottom} />}
      </table>
      {deleting && <DeleteRollbackPoint d={deleting} onClose={() => setDeleting(undefined)} />}
      {noting && <ReleaseNoteDialog d={noting} onClose={() => setNoting(undefined)} />}
      {showing && <ReleaseDockerfileDialog d={showing} onClose={() => setShowing(undefined)} />}
    </>
  );
}

function Spacer({ height }: { height: number }) {
  return (
    <tbody aria-hidden="true">
      <tr>
        <td colSpan={11} className="spacer-cell" style={{ height }} />
      </tr>
    </tbody>
  );
}

function pushFailed(d: Deployment): boolean {
  return d.push?.state === 'failed';
}

function hasReason(d: Deployment): boolean {
  return reasonStatuses.has(d.status) && d.error !== null;
}

interface RowProps {
  d: Deployment;
  serverId: string;
  app: string;
  now: number;
  onDelete: (d: Deployment) => void;
  onNote: (d: Deployment) => void;
  onDockerfile: (d: Deployment) => void;
}

const Row = memo(function Row({ d, serverId, app, now, onDelete, onNote, onDockerfile }: RowProps) {
  // the engine's answer, checked against the server; a record it did not check (live, still running) is neutral
  const capable = d.rollbackCapable;
  const capReason = d.rollbackReason ?? (d.status === 'live' ? 'This is the live release.' : 'Not a release yet.');
  const pinned = d.pinned === true;
  const live = d.status === 'live';
  const ui = useUi.getState();
  const rollback = useRollback.getState();
  const report = (ok: boolean, what: string) => {
    if (!ok) {
      const error = useRollback.getState().error;
      useToasts.getState().push({ title: `Could not ${what}`, body: error?.message, code: error?.code, level: 'error' });
    }
  };
  const label = d.kind === 'rollback' ? 'rollback' : d.kind === 'redeploy' ? 'redeploy' : d.trigger === 'auto' ? 'auto' : undefined;
  return (
    <>
      <tr className={live ? 'is-live' : undefined} data-seq={d.seq} data-status={d.status}>
        <td className="num">{d.seq}</td>
        <td className="title-cell" title={d.description || d.title}>
          {label && <span className="kind-tag">{label}</span>}
          {d.title}
          {d.releaseNote && (
            <span className="release-note" title={`${d.releaseNote.text} — ${d.releaseNote.by}, ${d.releaseNote.at.slice(0, 10)}`} data-note-for={d.seq}>
              {d.releaseNote.text}
            </span>
          )}
        </td>
        {d.source.archive ? (
          <td className="mono" title={`${d.source.archive.name}${d.source.archive.root ? ` (folder ${d.source.archive.root})` : ''}, ${formatBytes(d.source.archive.size)}, sha256 ${d.source.archive.sha256}`}>
            {d.source.archive.format} {d.source.archive.sha256.slice(0, 7)}
          </td>
        ) : (
          <td className="mono">{shortCommit(d.source.commit?.hash)}</td>
        )}
        <td>
          <StatusBadge status={d.status} checking={d.reconciling === true} />
        </td>
        <td title={started(d)}>{timeAgo(started(d), now)}</td>
        <td className="num">{duration(took(d, now))}</td>
        <td className="num">{d.switch ? shortDuration(d.switch.gapMs) : '—'}</td>
        <td className="mono" title={d.image?.id}>
          {shortImage(d.image?.id)}
          {d.push?.state === 'pushing' && (
            <span className="push-state muted" title={d.push.error ? `Retrying: ${d.push.error.message}` : `Pushing to ${d.push.registry}`}>
              {' '}
              pushing…
            </span>
          )}
          {d.push?.state === 'failed' && (
            <span className="push-state tone-amber" title={d.push.error?.message}>
              {' '}
              not pushed
            </span>
          )}
        </td>
        <td title={capReason}>
          {capable === true && (
            <span className="yes" aria-label={`Rollback capable: ${capReason}`}>
              ✓
            </span>
          )}
          {capable === false && (
            <span className="no" aria-label={`Not rollback capable: ${capReason}`}>
              ✗
            </span>
          )}
          {capable === undefined && (
            <span className="muted" aria-label={capReason}>
              —
            </span>
          )}
        </td>
        <td>
          {pinned && (
            <span className="pin" title="Pinned: its image is never pruned">
              pinned
            </span>
          )}
        </td>
        <td className="actions">
          <Menu
            label={`Actions for #${d.seq}`}
            items={[
              {
                label: 'Roll back to this…',
                disabled: live || capable !== true,
                hint: live ? 'This is the live release.' : capable === true ? undefined : capReason,
                onSelect: () => ui.openDialog({ kind: 'rollback', deploymentId: d.id }),
              },
              {
                label: 'Redeploy with current config',
                disabled: !d.image,
                hint: d.image ? undefined : 'No image was built.',
                onSelect: () => void rollback.redeploy(serverId, app, d.id).then((x) => report(x !== undefined, 'redeploy')),
              },
              { label: 'View logs', onSelect: () => ui.viewLogs({ kind: 'deployment', deploymentId: d.id }) },
              ...(d.buildPlan ? [{ label: 'View Dockerfile', onSelect: () => onDockerfile(d) }] : []),
              { label: d.releaseNote ? 'Edit note…' : 'Add note…', onSelect: () => onNote(d) },
              {
                label: pinned ? 'Unpin' : 'Pin (keep through retention)',
                onSelect: () => void rollback.pin(serverId, d.id, !pinned).then((ok) => report(ok, pinned ? 'unpin' : 'pin')),
              },
              {
                label: 'Delete rollback point…',
                danger: true,
                disabled: live || !d.image,
                hint: live ? 'The live release cannot be deleted.' : d.image ? undefined : 'There is no image to delete.',
                onSelect: () => onDelete(d),
              },
            ]}
          />
        </td>
      </tr>
      {hasReason(d) && d.error && (
        <tr className="reason-row" data-reason-for={d.seq}>
          <td />
          <td colSpan={10}>
            <span className={d.status === 'rolled-back' ? 'tone-amber' : d.status === 'cancelled' ? 'muted' : 'tone-red'}>
              {d.status === 'rolled-back' ? 'Reverted: ' : ''}
              {d.error.message}
            </span>
            <code className="muted"> {d.error.code}</code>
            {d.timestamps[d.status] && <span className="muted"> · {clockTime(d.timestamps[d.status])}</span>}
          </td>
        </tr>
      )}
      {d.push?.state === 'failed' && (
        <tr className="reason-row" data-push-for={d.seq}>
          <td />
          <td colSpan={10}>
            <span className="tone-amber">
              Not pushed to {d.push.registry}
              {d.push.attempts > 1 ? ` (${d.push.attempts} attempts)` : ''}: {d.push.error?.message ?? 'the push failed.'}
            </span>
            {d.push.error && <code className="muted"> {d.push.error.code}</code>}
            <span className="muted"> · {clockTime(d.push.at)}</span>
          </td>
        </tr>
      )}
    </>
  );
});

function DeleteRollbackPoint({ d, onClose }: { d: Deployment; onClose: () => void }) {
  const busy = useRollback((s) => s.busy);
  const error = useRollback((s) => s.error);
  const remove = async () => {
    if (await useRollback.getState().deleteRollbackPoint(d.serverId, d.id)) onClose();
  };
  return (
    <Dialog
      title={`Delete rollback point #${d.seq}?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} data-autofocus>
            Cancel
          </button>
          <button type="button" className="btn danger solid" disabled={busy} onClick={() => void remove()}>
            Delete image
          </button>
        </>
      }
    >
      <p>
        The image <code>{shortImage(d.image?.id)}</code> of #{d.seq} “{d.title}” is removed from the server. The history
        keeps the record, but you can no longer roll back to it.
      </p>
      {error && <ErrorText error={error} boxed />}
    </Dialog>
  );
}
