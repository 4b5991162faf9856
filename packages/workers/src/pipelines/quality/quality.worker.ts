import { exposePipeline } from '../../host/expose.ts';
import { qualityPipeline } from './quality.ts';

exposePipeline(qualityPipeline);
