import type { RgbaImage } from '@ekyc/core';

/** Reads the video's current frame as RGBA pixels, unmirrored (as the camera delivers it); null when it has no frame yet. */
export type FrameReader = (video: HTMLVideoElement) => RgbaImage | null;

/**
 * A reader drawing the video on one reused OffscreenCanvas (`willReadFrequently`: the pixels are
 * read back every frame). The canvas follows the video's size, which can change mid-stream (a
 * phone rotated).
 */
export function canvasFrameReader(): FrameReader {
  let canvas: OffscreenCanvas | undefined;
  let context: OffscreenCanvasRenderingContext2D | null = null;
  return (video) => {
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (!width || !height) return null;
    if (!canvas || canvas.width !== width || canvas.height !== height) {
      canvas = new OffscreenCanvas(width, height);
      context = canvas.getContext('2d', { willReadFrequently: true });
    }
    if (!context) return null;
    context.drawImage(video, 0, 0, width, height);
    const { data } = context.getImageData(0, 0, width, height);
    return { width, height, data };
  };
}

/** The label of the stream's first video track (the virtual-camera signal reads it), or null. */
export function videoTrackLabel(video: HTMLVideoElement): string | null {
  const stream = video.srcObject;
  if (typeof MediaStream === 'undefined' || !(stream instanceof MediaStream)) return null;
  return stream.getVideoTracks()[0]?.label ?? null;
}
