/** Stops every track of a stream; safe on null and on tracks already ended. */
export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Frame size to draw an overlay in when the flow has not reported one yet (the camera's ideal). */
export const DEFAULT_FRAME = { width: 1280, height: 720 } as const;
