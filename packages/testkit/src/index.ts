export { createRandom, type Random } from './random.ts';
export { projectCard, type CardPose } from './camera.ts';
export { addGlare, applyGain, clippedByGain, regionStats, warpCardInto } from './compose.ts';
export { DOCUMENT_SIZE_MM, renderDocument, renderStyledDocument, type CardStock, type CardStyle, type DocumentKind } from './document.ts';
export { paintFabric, paintWood } from './textures.ts';
export { FOCAL_LENGTH_FRACTION_RANGE, generateLabelledFrame, type BackgroundKind, type FrameLabel, type FrameOptions, type LabelledFrame } from './frame.ts';
export { decodeImageBlob } from './decode-image.ts';
export { rgbaToI420, y4mHeader, Y4M_FRAME_MARKER } from './y4m.ts';
export { ICAO_SPECIMEN_MRZ } from './mrz-specimens.ts';
