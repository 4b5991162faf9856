export { createRandom, type Random } from './random.ts';
export { projectCard, type CardPose } from './camera.ts';
export { addGlare, applyGain, regionStats, warpCardInto } from './compose.ts';
export { DOCUMENT_SIZE_MM, renderDocument, type DocumentKind } from './document.ts';
export { generateLabelledFrame, type BackgroundKind, type FrameLabel, type FrameOptions, type LabelledFrame } from './frame.ts';
export { decodeImageBlob } from './decode-image.ts';
export { rgbaToI420, y4mHeader, Y4M_FRAME_MARKER } from './y4m.ts';
export { ICAO_SPECIMEN_MRZ } from './mrz-specimens.ts';
