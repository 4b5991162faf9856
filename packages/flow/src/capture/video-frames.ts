/**
 * Calls `onFrame` for each new frame of a playing video: `requestVideoFrameCallback` where the
 * browser has it (once per decoded frame), else `requestAnimationFrame` (once per display
 * refresh, which can repeat a frame). Returns the function that stops it.
 */
export function watchVideoFrames(video: HTMLVideoElement, onFrame: () => void): () => void {
  let stopped = false;
  if (typeof video.requestVideoFrameCallback === 'function') {
    let handle = 0;
    const tick = (): void => {
      if (stopped) return;
      handle = video.requestVideoFrameCallback(tick);
      onFrame();
    };
    handle = video.requestVideoFrameCallback(tick);
    return () => {
      stopped = true;
      video.cancelVideoFrameCallback(handle);
    };
  }
  let handle = 0;
  const tick = (): void => {
    if (stopped) return;
    handle = requestAnimationFrame(tick);
    onFrame();
  };
  handle = requestAnimationFrame(tick);
  return () => {
    stopped = true;
    cancelAnimationFrame(handle);
  };
}
