/** When an image source is pulled (see PullPolicy in apps.ts); zod-free so the CLI can list them in its help. */
export const pullPolicies = ['missing', 'always', 'never'] as const;
