import { describe, expect, it } from 'vitest';
import { detectLocalDockerSocket } from '../../../electron/core/docker/local-link';

const only = (...paths: string[]) => (path: string) => paths.includes(path);

describe('local Docker socket detection', () => {
  it('uses the system socket when it exists', () => {
    expect(detectLocalDockerSocket({ HOME: '/home/ana' }, only('/var/run/docker.sock'))).toBe('/var/run/docker.sock');
  });

  it('falls back to Docker Desktop\'s per-user socket', () => {
    expect(detectLocalDockerSocket({ HOME: '/home/ana' }, only('/home/ana/.docker/run/docker.sock'))).toBe('/home/ana/.docker/run/docker.sock');
  });

  it('follows DOCKER_HOST when it names a unix socket', () => {
    expect(detectLocalDockerSocket({ DOCKER_HOST: 'unix:///srv/docker.sock' }, only('/srv/docker.sock', '/var/run/docker.sock'))).toBe('/srv/docker.sock');
  });

  it('offers no local server when DOCKER_HOST points at another machine', () => {
    expect(detectLocalDockerSocket({ DOCKER_HOST: 'ssh://me@box' }, only('/var/run/docker.sock'))).toBeNull();
  });

  it('offers no local server without a socket', () => {
    expect(detectLocalDockerSocket({ HOME: '/home/ana' }, only())).toBeNull();
  });
});
