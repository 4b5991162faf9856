/** Generated liveness video: photo animation, clip scripts, y4m reading (entry `@ekyc/testkit/liveness-video`). */
export * from './face-animation.ts';
export * from './liveness-video.ts';
export * from './y4m-read.ts';
export * from './screen-replay.ts';
