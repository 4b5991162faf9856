import { exposePipeline } from '../../host/expose.ts';
import { livenessPipeline } from './liveness.ts';

exposePipeline(livenessPipeline);
