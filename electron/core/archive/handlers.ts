import type { uploadsMethods } from '../../../shared/api/archives';
import type { HandlerGroup } from '../rpc/dispatcher';
import type { Uploads } from './uploads';

export function createUploadHandlers(uploads: Uploads): HandlerGroup<keyof typeof uploadsMethods> {
  return {
    'uploads.open': ({ name, size }) => uploads.begin(name, size),
    'uploads.write': ({ uploadId, offset, data }) => uploads.write(uploadId, offset, data),
    'uploads.close': ({ uploadId }) => uploads.close(uploadId),
    'uploads.discard': async ({ uploadId }) => ({ discarded: await uploads.discard(uploadId) }),
  };
}
