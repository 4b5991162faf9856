import { exposePipeline } from '../../host/expose.ts';
import { modelProbe } from './model-probe.ts';

exposePipeline(modelProbe);
