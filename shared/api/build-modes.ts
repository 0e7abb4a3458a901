import { z } from 'zod';
import { imageRef } from '../safe-input';
import { baseImageKeys, buildModes, defaultBaseImages, stacks } from './build-mode-names';

/**
 * How an app's image is built: from the source's Dockerfile (or the one kept in the app), as a static site served by
 * a small web server image, or from a Dockerfile generated for the stack found in the source.
 */
export const BuildMode = z.enum(buildModes);
export type BuildMode = z.infer<typeof BuildMode>;

export const Stack = z.enum(stacks);
export type Stack = z.infer<typeof Stack>;

export const BaseImageKey = z.enum(baseImageKeys);
export type BaseImageKey = z.infer<typeof BaseImageKey>;

/** Each value is written into a FROM line, so it must be one image reference and nothing else. */
export const BaseImages = z.partialRecord(BaseImageKey, z.string()).superRefine((images, ctx) => {
  for (const [key, image] of Object.entries(images)) {
    const why = image === undefined ? null : imageRef(image);
    if (why !== null) ctx.addIssue({ code: 'custom', path: [key], message: `the ${key} base image ${why}: give a reference such as ${defaultBaseImages[key as BaseImageKey]}` });
  }
});
export type BaseImages = z.infer<typeof BaseImages>;

/** The Dockerfile a release was built with when Berth wrote it (a static site, a detected stack or a kept text). */
export const RecordedPlan = z.object({
  mode: BuildMode,
  stack: Stack.nullable(),
  dockerfile: z.string(),
});
export type RecordedPlan = z.infer<typeof RecordedPlan>;
