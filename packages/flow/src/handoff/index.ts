export { handoffLink, handoffTokenFromUrl, takeHandoffTokenFromLocation } from './handoff-link.ts';
