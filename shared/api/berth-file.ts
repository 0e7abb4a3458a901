import { z } from 'zod';
import { AppName, AppSource, BuildSettings, EnvKey, RetentionRule, RuntimeCommon } from './apps';
import { urlCredentials } from '../safe-input';
import { EdgeProxySettings } from './servers';

const Port = z.number().int().min(1).max(65535);

/**
 * How to reach the server. A key file's path may name environment variables (`$DEPLOY_KEY`, `${HOME}/.ssh/id`), so a
 * CI job can point at the key its runner wrote; the key itself is never in the file.
 */
export const BerthFileServer = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    host: z.string().trim().min(1).max(255),
    port: Port.default(22),
    user: z.string().trim().min(1).max(64).default('root'),
    key: z.string().min(1).optional(),
    agent: z.boolean().optional(),
    /** The host key's SHA256 fingerprint, trusted on first sight (a job has nobody to ask). */
    hostKey: z.string().regex(/^SHA256:[A-Za-z0-9+/=]+$/, 'a fingerprint such as SHA256:Ig0yLWYow…').optional(),
    dockerSocket: z.string().min(1).optional(),
    /** Only what is named here changes on a server this home already knows. */
    proxy: z
      .object({ httpPort: Port.optional(), image: EdgeProxySettings.shape.image.unwrap().optional(), bindAddress: z.string().optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((s) => !(s.key !== undefined && s.agent === true), { message: 'give either key or agent: true, not both', path: ['agent'] });
export type BerthFileServer = z.output<typeof BerthFileServer>;

const GitSource = AppSource.options[1].omit({ sealedCredentials: true, withCredentials: true }).strict();

/** The app as the repository defines it; env values that are secret are named in `secrets`, never written here. */
export const BerthFileApp = z
  .object({
    name: AppName,
    source: z.discriminatedUnion('kind', [AppSource.options[0].strict(), GitSource, AppSource.options[2].strict()]),
    build: BuildSettings.strict().prefault({}),
    runtime: RuntimeCommon.strict().prefault({}),
    /** Plain values, in the file for everyone to read. */
    env: z.record(EnvKey, z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
    /** Names only: each value comes from the environment variable of that name, or the value this home already keeps. */
    secrets: z.array(EnvKey).default([]),
    retention: RetentionRule.strict().default({}),
  })
  .strict()
  .superRefine((app, ctx) => {
    if (app.source.kind === 'git' && urlCredentials(app.source.url) !== null) {
      ctx.addIssue({ code: 'custom', path: ['source', 'url'], message: 'holds credentials: keep them out of the file and give the URL without them (the server reaches the repository with its own key, or add them once with berth app set)' });
    }
    for (const key of app.secrets) {
      if (key in app.env) ctx.addIssue({ code: 'custom', path: ['env', key], message: `${key} is also listed in secrets: a secret's value never goes in the file, remove it from env` });
    }
  });
export type BerthFileApp = z.output<typeof BerthFileApp>;

export const BerthFile = z.object({ server: BerthFileServer, app: BerthFileApp }).strict();
export type BerthFile = z.output<typeof BerthFile>;
