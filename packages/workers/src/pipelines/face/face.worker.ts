import { exposePipeline } from '../../host/expose.ts';
import { facePipeline } from './face.ts';

exposePipeline(facePipeline);
