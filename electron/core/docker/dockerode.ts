import { createRequire } from 'node:module';
import type Docker from 'dockerode';

const load = createRequire(import.meta.url);
let DockerClient: typeof Docker | undefined;

/**
 * A dockerode client, the package loaded on first use: it brings gRPC and protobuf for BuildKit sessions (about
 * 100 ms), which a command that only reads records (`berth history`) never needs.
 */
export function createDocker(options: Docker.DockerOptions): Docker {
  DockerClient ??= load('dockerode') as typeof Docker;
  return new DockerClient(options);
}
