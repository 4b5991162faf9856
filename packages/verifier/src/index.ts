export { FaceRescorer } from './face/rescore.ts';
export { loadNodeModel } from './face/onnx-node.ts';
