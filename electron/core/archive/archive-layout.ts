import { BerthError } from '../../../shared/errors';

/**
 * What the scan learns about where things are, to say before anything is sent that the chosen root is not in the
 * archive or holds no Dockerfile, and where it probably is instead: archives made by "Download ZIP" put everything
 * in one top folder (repo-main/), so the hint names it.
 */
export class ArchiveLayout {
  private rootSeen = false;
  private dockerfileSeen = false;
  private readonly tops = new Set<string>();
  private readonly dockerfileTops = new Set<string>();

  /**
   * @param root the build root's segments
   * @param dockerfile the Dockerfile's path below the root ("/"-separated)
   */
  constructor(
    private readonly name: string,
    private readonly root: string[],
    private readonly dockerfile: string,
  ) {}

  /** Every entry's path from the archive's top, whether kept or not; `keptAs` is its path below the root. */
  see(parts: string[], keptAs: string | null): void {
    const top = parts[0];
    if (top === undefined) return;
    if (this.tops.size <= 1) this.tops.add(top);
    if (keptAs !== null) this.rootSeen = true;
    if (keptAs === this.dockerfile) this.dockerfileSeen = true;
    if (parts.length > 1 && parts.slice(1).join('/') === this.dockerfile) this.dockerfileTops.add(top);
    // the root's own folder entry, for a root that holds nothing
    if (parts.length === this.root.length && this.root.every((r, i) => parts[i] === r)) this.rootSeen = true;
  }

  /** The refusal the layout calls for, or null when the root exists and has its Dockerfile. */
  problem(options: { dockerfileRequired: boolean }): BerthError | null {
    const rootName = this.root.join('/');
    const hint = this.singleTopHint();
    if (this.root.length > 0 && !this.rootSeen) {
      return new BerthError('ARCHIVE_ROOT_MISSING', `${this.name} has no folder "${rootName}". ${hint ?? 'Give a folder that is in the archive as its root, or none to build from its top.'}`, { root: rootName });
    }
    if (options.dockerfileRequired && !this.dockerfileSeen) {
      const where = this.root.length > 0 ? `in its folder "${rootName}"` : 'at its top';
      return new BerthError('DOCKERFILE_MISSING', `${this.name} has no ${this.dockerfile} ${where}. ${hint ?? 'Add one to the project, or set the root to the folder that has it.'}`);
    }
    return null;
  }

  private singleTopHint(): string | null {
    const [top] = [...this.tops];
    if (this.root.length > 0 || this.tops.size !== 1 || top === undefined || !this.dockerfileTops.has(top)) return null;
    return `Everything in it is inside "${top}/", which has the ${this.dockerfile}: set the root to ${top} (--root ${top}).`;
  }
}
