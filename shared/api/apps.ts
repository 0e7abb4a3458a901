import { z } from 'zod';
import { refineAppSettings } from './app-safety';
import { ArchiveRoot } from './archives';
import { BaseImages, BuildMode } from './build-modes';
import { method } from './define';
import { pullPolicies } from './pull-policies';
import { restartPolicies } from './restart-policies';
import { ServerId } from './servers';

/** Lowercase, because the name becomes an image repository (`<app>:<seq>`), container names and proxy backends. */
export const AppName = z
  .string()
  .min(1)
  .max(48)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner dashes');

const Port = z.number().int().min(1).max(65535);

/**
 * When an image source is pulled: `missing` (the default) uses the image already on the server and pulls only when it
 * is not there, so a deploy needs no registry once the image arrived and the same reference runs the same image;
 * `always` pulls every deploy (a moving tag such as `latest`) and fails when the registry cannot be reached;
 * `never` runs only what is on the server.
 */
export const PullPolicy = z.enum(pullPolicies);
export type PullPolicy = z.infer<typeof PullPolicy>;

export const AppSource = z.discriminatedUnion('kind', [
  /** A folder on this computer, tarred (honouring .dockerignore) and streamed to the server's Docker engine. */
  z.object({ kind: z.literal('folder'), path: z.string().min(1) }),
  /**
   * A git repository; ref is a branch, a tag or a commit. It is fetched (only the ref's commit, into a cache kept for
   * the next deploy) on the server when the server has git, else on this computer; `fetchOn` makes either the rule.
   * Credentials in
   * the URL (`https://user:token@host/…`) are taken out and sealed by the engine: records keep them only as
   * `sealedCredentials`, views show `withCredentials` instead, and what a caller sends in either field is ignored.
   */
  z.object({
    kind: z.literal('git'),
    url: z.string().min(1),
    ref: z.string().min(1).default('main'),
    sealedCredentials: z.string().optional(),
    withCredentials: z.boolean().optional(),
    fetchOn: z.enum(['server', 'this-computer']).optional(),
  }),
  /** An image the server pulls, or finds already there (see PullPolicy). */
  z.object({ kind: z.literal('image'), image: z.string().min(1), pull: PullPolicy.default('missing') }),
  /**
   * A .zip or .tar.gz given with each deployment (dropped on the app, or `berth deploy --archive`), streamed to the
   * server as the build context; root is the folder inside it to build from.
   */
  z.object({ kind: z.literal('archive'), root: ArchiveRoot.default('') }),
]);
export type AppSource = z.infer<typeof AppSource>;

export const BuildSettings = z.object({
  /** Relative to the build context. */
  dockerfile: z.string().min(1).default('Dockerfile'),
  /** Sub-folder of the source used as build context. */
  context: z.string().min(1).default('.'),
  args: z.record(z.string(), z.string()).default({}),
  target: z.string().min(1).optional(),
  /** Build without the layer cache. */
  clean: z.boolean().default(false),
  /** The daemon's BuildKit (the default: parallel steps, labels at no cost) or the classic builder for daemons without it. */
  builder: z.enum(['buildkit', 'classic']).optional(),
  /** Absent is dockerfile. */
  mode: BuildMode.optional(),
  /** A Dockerfile kept in the app (a plan edited and saved), used in dockerfile mode instead of the source's own; null drops it. */
  dockerfileText: z.string().min(1).max(100_000).nullable().optional(),
  /** Base images of generated Dockerfiles, per stack, in place of the public defaults. */
  baseImages: BaseImages.optional(),
});
export type BuildSettings = z.infer<typeof BuildSettings>;

const HealthTiming = {
  intervalMs: z.number().int().min(100).max(300_000).default(1000),
  timeoutMs: z.number().int().min(100).max(300_000).default(3000),
  /** Consecutive failed probes (after the start period) that fail the deployment. */
  retries: z.number().int().min(1).max(1000).default(15),
  /** Failures during this time after start do not count. */
  startPeriodMs: z.number().int().min(0).max(3_600_000).default(0),
};

/**
 * Probed by Berth through the SSH link on standalone servers (so the image needs no curl); on Swarm it becomes the
 * service's Docker HEALTHCHECK, where an http probe runs `wget` inside the container.
 */
export const HealthCheck = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), path: z.string().startsWith('/').default('/'), port: Port.optional(), ...HealthTiming }),
  z.object({ kind: z.literal('tcp'), port: Port.optional(), ...HealthTiming }),
  z.object({ kind: z.literal('command'), command: z.array(z.string().min(1)).min(1), ...HealthTiming }),
  z.object({ kind: z.literal('none'), ...HealthTiming }),
]);
export type HealthCheck = z.infer<typeof HealthCheck>;

export const EnvKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'letters, digits, "_", "." and "-", not starting with a digit');

/** What a caller sends: a secret with no value keeps the value already stored. */
export const EnvVarInput = z.object({ key: EnvKey, value: z.string().optional(), secret: z.boolean().default(false) });
export type EnvVarInput = z.input<typeof EnvVarInput>;

/** What comes back: secret values are never sent out, only that they are set. */
export const EnvVarView = z.object({ key: EnvKey, value: z.string().nullable(), secret: z.boolean() });
export type EnvVarView = z.infer<typeof EnvVarView>;

export const PortMapping = z.object({
  container: Port,
  published: Port,
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  hostIp: z.string().default(''),
});
export type PortMapping = z.infer<typeof PortMapping>;

export const VolumeMount = z.object({
  /** A named volume, or an absolute path on the server for a bind mount. */
  source: z.string().min(1),
  target: z.string().startsWith('/'),
  readOnly: z.boolean().default(false),
});
export type VolumeMount = z.infer<typeof VolumeMount>;

export const Domain = z
  .string()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'a host name such as app.example.com (or *.example.com)');

export const RestartPolicy = z.enum(restartPolicies);

/** Runtime settings without env: shared by the app definition and the release snapshot. */
export const RuntimeCommon = z.object({
  /** The container port the edge proxy sends HTTP traffic to; null keeps the app off the proxy. */
  httpPort: Port.nullable().default(8080),
  /** Ports published on the server itself. They cannot be held by two containers, so such apps stop before they start. */
  published: z.array(PortMapping).default([]),
  volumes: z.array(VolumeMount).default([]),
  limits: z.object({ cpus: z.number().positive().max(1024).optional(), memoryMb: z.number().int().min(6).optional() }).prefault({}),
  restart: RestartPolicy.default('unless-stopped'),
  replicas: z.number().int().min(1).max(32).default(1),
  command: z.array(z.string()).nullable().default(null),
  healthCheck: HealthCheck.prefault({ kind: 'http' }),
  domains: z.array(Domain).default([]),
  labels: z.record(z.string(), z.string()).default({}),
});
export type RuntimeCommon = z.infer<typeof RuntimeCommon>;

export const RuntimeInput = RuntimeCommon.extend({ env: z.array(EnvVarInput).default([]) });
export const RuntimeView = RuntimeCommon.extend({ env: z.array(EnvVarView) });
export type RuntimeView = z.infer<typeof RuntimeView>;

/** History is kept until a rule says otherwise; live, running and pinned deployments are never pruned. */
export const RetentionRule = z.object({
  keepLast: z.number().int().min(1).optional(),
  keepDays: z.number().int().min(1).optional(),
});
export type RetentionRule = z.infer<typeof RetentionRule>;

/** How many previews of the app may run at once (0: none); without the setting, DEFAULT_PREVIEW_LIMIT. */
export const PreviewSettings = z.object({ limit: z.number().int().min(0).max(50) });
export type PreviewSettings = z.infer<typeof PreviewSettings>;

/** Set by the engine on a preview's own app: the app it was made from and the branch (or pull-request ref) it runs. */
export const PreviewOf = z.object({ app: AppName, ref: z.string().min(1) });
export type PreviewOf = z.infer<typeof PreviewOf>;

/** Every value that reaches a config line, a shell or a label is checked here (see app-safety.ts). */
export const AppInput = z
  .object({
    serverId: ServerId,
    name: AppName,
    source: AppSource,
    build: BuildSettings.prefault({}),
    runtime: RuntimeInput.prefault({}),
    retention: RetentionRule.default({}),
    previews: PreviewSettings.optional(),
  })
  .superRefine(refineAppSettings);
export type AppInput = z.input<typeof AppInput>;

export const App = z.object({
  serverId: ServerId,
  name: AppName,
  source: AppSource,
  build: BuildSettings,
  runtime: RuntimeView,
  retention: RetentionRule,
  previews: PreviewSettings.optional(),
  previewOf: PreviewOf.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type App = z.infer<typeof App>;

/** Every field optional and none defaulted: a patch changes only what it names. */
function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const inner = field instanceof z.ZodDefault || field instanceof z.ZodPrefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
    shape[key] = inner.optional();
  }
  return z.object(shape) as unknown as ReturnType<z.ZodObject<S>['partial']>;
}

export const AppPatch = z
  .object({
    source: AppSource.optional(),
    build: patchOf(BuildSettings).optional(),
    runtime: patchOf(RuntimeInput).optional(),
    retention: RetentionRule.optional(),
    previews: PreviewSettings.optional(),
  })
  .superRefine(refineAppSettings);
export type AppPatch = z.input<typeof AppPatch>;

export const EnvParseError = z.object({ line: z.number().int(), message: z.string() });
export type EnvParseError = z.infer<typeof EnvParseError>;

export const EnvParseResult = z.object({
  vars: z.array(z.object({ key: z.string(), value: z.string(), line: z.number().int() })),
  errors: z.array(EnvParseError),
  warnings: z.array(EnvParseError),
});
export type EnvParseResult = z.infer<typeof EnvParseResult>;

const AppRef = z.object({ serverId: ServerId, name: AppName });

export const appsMethods = {
  'apps.list': method(z.object({ serverId: ServerId }), z.array(App)),
  'apps.get': method(AppRef, App),
  'apps.create': method(AppInput, App),
  'apps.update': method(AppRef.extend({ patch: AppPatch }), App),
  /**
   * Removes the definition and, unless keepRunning, its containers or service and its proxy route. History stays. Its
   * previews are removed with it (their records stay too).
   */
  'apps.remove': method(AppRef.extend({ keepRunning: z.boolean().default(false) }), z.object({ removed: z.boolean() })),
  'apps.parseEnv': method(z.object({ text: z.string().max(1_000_000) }), EnvParseResult),
  /** Merges a .env text into the app's env; any malformed line rejects the whole import with ENV_PARSE_ERROR. */
  'apps.importEnv': method(
    AppRef.extend({ text: z.string().max(1_000_000), secret: z.boolean().default(false) }),
    App,
  ),
};

export const appsEvents = {
  'apps.changed': z.object({ serverId: ServerId, name: AppName, removed: z.boolean() }),
};
