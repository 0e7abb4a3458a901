import type { Deployment } from '../../../../shared/api/deployments';
import { Dialog } from '../../components/Dialog';

const MODE: Record<NonNullable<Deployment['buildPlan']>['mode'], string> = {
  dockerfile: 'the Dockerfile kept in the app',
  static: 'the static-site Dockerfile',
  auto: 'the Dockerfile written for the stack found',
};

/** The Dockerfile Berth wrote for a release, exactly as it was built. */
export function ReleaseDockerfileDialog({ d, onClose }: { d: Deployment; onClose: () => void }) {
  const plan = d.buildPlan;
  if (!plan) return null;
  return (
    <Dialog
      title={`Dockerfile of #${d.seq}`}
      onClose={onClose}
      wide
      footer={
        <button type="button" className="btn" onClick={onClose} data-autofocus>
          Close
        </button>
      }
    >
      <p className="muted">
        #{d.seq} “{d.title}” was built with {MODE[plan.mode]}
        {plan.stack && plan.mode === 'auto' ? ` (${plan.stack})` : ''}.
      </p>
      <pre className="dockerfile-text" data-testid="release-dockerfile">
        {plan.dockerfile}
      </pre>
    </Dialog>
  );
}
