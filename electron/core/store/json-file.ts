import { mkdirSync, readFileSync, renameSync, writeFileSync, copyFileSync, existsSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { BerthError } from '../../../shared/errors';

/**
 * One JSON document on disk, written atomically: the new content goes to a temporary file that is fsynced and
 * renamed over the old one, and the previous version is kept as `.bak`. A crash mid-write therefore leaves either
 * the old or the new document, never half of one; a corrupt main file falls back to the backup.
 */
export class JsonFile<T> {
  constructor(
    readonly path: string,
    private readonly fallback: () => T,
  ) {}

  read(): T {
    const main = this.tryRead(this.path);
    if (main.ok) return main.value;
    const backup = this.tryRead(`${this.path}.bak`);
    if (backup.ok) return backup.value;
    if (!main.missing) {
      throw new BerthError('STORE_CORRUPT', `${this.path} cannot be read and has no usable backup. Move it aside to start afresh.`, {
        path: this.path,
      });
    }
    return this.fallback();
  }

  write(value: T): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeFileSync(fd, JSON.stringify(value, null, 2));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (existsSync(this.path)) copyFileSync(this.path, `${this.path}.bak`);
    renameSync(tmp, this.path);
  }

  update(change: (current: T) => T): T {
    const next = change(this.read());
    this.write(next);
    return next;
  }

  private tryRead(path: string): { ok: true; value: T } | { ok: false; missing: boolean } {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return { ok: false, missing: true };
    }
    try {
      return { ok: true, value: JSON.parse(text) as T };
    } catch {
      return { ok: false, missing: false };
    }
  }
}
