// Types for quality-data.mjs (the eval scripts are plain ES modules; replay-quality.ts imports this one).
export interface Point { x: number; y: number }
export interface DataLabel { file: string; corners: Point[] | null; good: boolean; tiltDeg?: number }
interface Found { frameWidth: number; frameHeight: number; document: { corners: readonly Point[]; tiltDeg: number } | null }
export interface Scored<L = { tiltDeg?: number }> { label: L; assessment: { guidance: readonly string[]; metrics: Found } }
export interface Headline {
  frames: number;
  found: number | null;
  goodJudgedGood: number | null;
  badJudgedGood: number | null;
  cornerErrorMedianPx: number | null;
  withinFivePercent: number | null;
  tiltErrorMedianDeg: number | null;
}
export function poseTilt(pitchDeg: number, yawDeg: number): number;
export function readLabels(dir: string): DataLabel[];
export function labelWidth(corners: readonly Point[]): number;
export function judgedGood(r: { assessment: { guidance: readonly string[] } }): boolean;
export function cornerError(corners: readonly Point[] | null, metrics: Found): number | null;
export function cornersInView(corners: readonly Point[], metrics: Found): boolean;
export function headline<R extends Scored>(results: readonly R[], good: (r: R) => boolean, documentOf: (r: R) => readonly Point[] | null, widthOf: (r: R) => number): Headline;
