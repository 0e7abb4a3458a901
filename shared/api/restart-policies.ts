/** Docker's restart policies for an app's containers; zod-free so the CLI can list them in its help without loading schemas. */
export const restartPolicies = ['no', 'always', 'unless-stopped', 'on-failure'] as const;
