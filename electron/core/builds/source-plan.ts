import type { BuildPlan } from '../../../shared/api/builds';
import type { RecordedPlan } from '../../../shared/api/build-modes';
import type { ExtraFile } from '../deploy/context-files';
import type { ClonedRepo } from '../deploy/source-git';
import type { DeploymentLog } from '../logs/deployment-log';
import type { ServerLink } from '../ssh/server-link';
import { checkRunnable, needsFacts, planBuild, planContext, type PlanInput } from './build-plan';
import { cloneFacts, folderFacts } from './source-reader';

/** The plan of a folder on this computer: its listing and manifests are read only for zero-config. */
export function planFolder(path: string, input: PlanInput): BuildPlan {
  return planBuild(input, needsFacts(input.build) ? folderFacts(path, input.build.context) : null);
}

/** The plan of a commit in a clone on the server, read through git there. */
export async function planClone(link: ServerLink, repo: ClonedRepo, input: PlanInput, signal: AbortSignal): Promise<BuildPlan> {
  return planBuild(input, needsFacts(input.build) ? await cloneFacts(link, repo, input.build.context, signal) : null);
}

/** Checks a plan before its build, says in the log what it builds with, and gives the context's extra files. */
export function startPlan(plan: BuildPlan, input: PlanInput, log: DeploymentLog): { dockerfile: string; extraFiles: ExtraFile[]; recorded: RecordedPlan | null } {
  checkRunnable(plan, input);
  if (plan.origin === 'generated') log.info(`Zero-config: ${plan.stack ?? 'unknown'} app (${plan.evidence.join('; ')}); the generated Dockerfile is kept with the release`);
  else if (plan.origin === 'static') log.info(`Static site: ${input.build.context} served by busybox httpd`);
  else if (plan.origin === 'kept') log.info('Building with the Dockerfile kept in the app');
  for (const note of plan.notes) log.info(note);
  return planContext(plan);
}
