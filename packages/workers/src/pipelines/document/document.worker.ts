import { exposePipeline } from '../../host/expose.ts';
import { documentPipeline } from './document.ts';

exposePipeline(documentPipeline);
