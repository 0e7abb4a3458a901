import { ErrorText } from '../../components/ErrorText';
import { useAction } from '../../lib/use-action';
import { useBuilds, useToasts } from '../../stores';

/** Clears what the app's builds left in the server's build cache; the engine says what it freed. */
export function BuildCacheCard({ serverId, app }: { serverId: string; app: string }) {
  const cleared = useBuilds((s) => s.cleared[`${serverId}/${app}`]);
  const clear = useAction(async () => {
    const report = await useBuilds.getState().clearCache(serverId, app);
    useToasts.getState().push({ title: 'Build cache cleared', body: report.message, level: 'success' });
  });
  return (
    <section className="card settings-section" aria-label="Build cache">
      <h2>Build cache</h2>
      <span className="muted">
        Removes the cache records the server’s Docker made while this app’s builds ran (its layers and RUN --mount=type=cache folders) and the app’s dangling
        images. The next build starts cold; releases keep their images.
      </span>
      <div className="row">
        <button type="button" className="btn" disabled={clear.busy} onClick={() => void clear.run()}>
          {clear.busy ? 'Clearing…' : 'Clear build cache'}
        </button>
        {cleared && (
          <span className="tone-green" data-testid="cache-cleared">
            {cleared.message}
          </span>
        )}
      </div>
      {clear.error && <ErrorText error={clear.error} />}
    </section>
  );
}
