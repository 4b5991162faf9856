/** A position in an image, in pixels: x to the right, y down. The one point type of every image engine (quality, face). */
export interface Point {
  readonly x: number;
  readonly y: number;
}
