import type { BuildSettings } from '../../../shared/api/apps';
import type { RecordedPlan } from '../../../shared/api/build-modes';
import type { BuildPlan } from '../../../shared/api/builds';
import { BerthError } from '../../../shared/errors';
import type { ExtraFile } from '../deploy/context-files';
import { generateDockerfile, startOf, staticDockerfile } from './dockerfile-gen';
import type { SourceFacts } from './source-facts';
import { detectStack } from './stack-detect';

/** Where a Dockerfile Berth writes goes in the context: beside the user's files, never over their own Dockerfile. */
export const WRITTEN_DOCKERFILE = '.berth.Dockerfile';

export interface PlanInput {
  build: BuildSettings;
  /** The app's HTTP port, which the written Dockerfile gives the app as PORT; 8080 when the app has none. */
  httpPort: number | null;
  /** The app's own command replaces the image's CMD, so a stack without a start command still runs. */
  hasCommand: boolean;
}

/** Whether planning needs the source's listing and manifests (only a detection does). */
export function needsFacts(build: BuildSettings): boolean {
  return build.mode === 'auto';
}

/** Decides what a build uses as its Dockerfile. Pure: the facts are read beforehand, and only for zero-config. */
export function planBuild(input: PlanInput, facts: SourceFacts | null): BuildPlan {
  const { build } = input;
  const mode = build.mode ?? 'dockerfile';
  const port = input.httpPort ?? 8080;
  const written = (origin: BuildPlan['origin'], dockerfile: string, rest: Partial<BuildPlan> = {}): BuildPlan => ({
    mode,
    origin,
    stack: null,
    dockerfilePath: WRITTEN_DOCKERFILE,
    dockerfile,
    evidence: [],
    notes: [],
    ...rest,
  });
  if (mode === 'dockerfile') {
    if (build.dockerfileText) return written('kept', build.dockerfileText);
    return { mode, origin: 'source', stack: null, dockerfilePath: build.dockerfile, dockerfile: null, evidence: [], notes: [] };
  }
  if (mode === 'static') {
    return written('static', staticDockerfile({ baseImages: build.baseImages ?? {}, port }), { stack: 'static', evidence: [`serves ${build.context} as files`] });
  }
  if (!facts) throw new BerthError('INTERNAL', 'A zero-config plan was made without reading the source.');
  const { app, notes } = detectStack(facts);
  const dockerfile = generateDockerfile(app, { baseImages: build.baseImages ?? {}, port, cacheMounts: build.builder !== 'classic' });
  const missingStart = app.stack !== 'static' && startOf(app) === null;
  if (missingStart) {
    notes.push(
      input.hasCommand
        ? 'No start command found in the source; the app\'s own command starts it.'
        : 'No start command found: add a start script, a Procfile web: line or an entry file, or set the app\'s command.',
    );
  }
  return written('generated', dockerfile, { stack: app.stack, evidence: app.evidence, notes });
}

/** Refuses a plan that cannot produce a running app, before anything is built. */
export function checkRunnable(plan: BuildPlan, input: PlanInput): void {
  const start = plan.notes.find((note) => note.startsWith('No start command found:'));
  if (start && !input.hasCommand) throw new BerthError('SOURCE_INVALID', start);
}

/** The files the context gets and the record the release keeps, for a plan about to be built. */
export function planContext(plan: BuildPlan): { dockerfile: string; extraFiles: ExtraFile[]; recorded: RecordedPlan | null } {
  if (plan.dockerfile === null) return { dockerfile: plan.dockerfilePath, extraFiles: [], recorded: null };
  return {
    dockerfile: plan.dockerfilePath,
    extraFiles: [{ path: plan.dockerfilePath, content: plan.dockerfile }],
    recorded: { mode: plan.mode, stack: plan.stack, dockerfile: plan.dockerfile },
  };
}
