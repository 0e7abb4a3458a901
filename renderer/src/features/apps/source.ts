import type { AppSource } from '../../../../shared/api/apps';

export function describeSource(source: AppSource): string {
  switch (source.kind) {
    case 'folder':
      return `folder ${source.path}`;
    case 'git':
      return `git ${source.url} @ ${source.ref}${source.withCredentials ? ' (with sealed credentials)' : ''}`;
    case 'image':
      return `image ${source.image}`;
  }
}
