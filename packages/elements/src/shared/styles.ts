import { css } from 'lit';

/**
 * Shared by every element (adopted as a constructable stylesheet: no inline style, CSP-safe).
 * Colours: text #1f2937 on #ffffff is 14.7:1, muted #4b5563 7.6:1, primary #1d4ed8 6.7:1
 * (white on it the same), danger #b91c1c 6.5:1, success #166534 7.1:1, warning #92400e 7.1:1.
 * The public `--ekyc-*` properties are only read, into private `--_ekyc-*` ones: declaring the public
 * names on :host would hide a value the page set on an ancestor from every nested element.
 */
export const baseStyles = css`
  :host {
    --_ekyc-color-primary: var(--ekyc-color-primary, #1d4ed8);
    --_ekyc-color-primary-hover: var(--ekyc-color-primary-hover, #1e40af);
    --_ekyc-color-on-primary: var(--ekyc-color-on-primary, #ffffff);
    --_ekyc-color-text: var(--ekyc-color-text, #1f2937);
    --_ekyc-color-muted: var(--ekyc-color-muted, #4b5563);
    --_ekyc-color-surface: var(--ekyc-color-surface, #ffffff);
    --_ekyc-color-surface-alt: var(--ekyc-color-surface-alt, #f3f4f6);
    --_ekyc-color-border: var(--ekyc-color-border, #6b7280);
    --_ekyc-color-danger: var(--ekyc-color-danger, #b91c1c);
    --_ekyc-color-success: var(--ekyc-color-success, #166534);
    --_ekyc-color-warning: var(--ekyc-color-warning, #92400e);
    --_ekyc-color-warning-surface: var(--ekyc-color-warning-surface, #fef3c7);
    --_ekyc-color-overlay: var(--ekyc-color-overlay, rgba(17, 24, 39, 0.55));
    --_ekyc-color-guide: var(--ekyc-color-guide, #ffffff);
    --_ekyc-color-detected: var(--ekyc-color-detected, #facc15);
    --_ekyc-focus-ring: var(--ekyc-focus-ring, 3px solid #f59e0b);
    --_ekyc-radius: var(--ekyc-radius, 0.5rem);
    --_ekyc-spacing: var(--ekyc-spacing, 1rem);
    --_ekyc-font-family: var(--ekyc-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_ekyc-max-width: var(--ekyc-max-width, 36rem);
    display: block;
    box-sizing: border-box;
    color: var(--_ekyc-color-text);
    background: var(--_ekyc-color-surface);
    font-family: var(--_ekyc-font-family);
    line-height: 1.5;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .base {
    max-width: var(--_ekyc-max-width);
    margin: 0 auto;
    padding: var(--_ekyc-spacing);
  }
  h2 {
    font-size: 1.375rem;
    line-height: 1.3;
    margin: 0 0 calc(var(--_ekyc-spacing) * 0.75);
  }
  h2:focus {
    outline: none;
  }
  h2:focus-visible {
    outline: var(--_ekyc-focus-ring);
    outline-offset: 2px;
  }
  h3 {
    font-size: 1rem;
    margin: var(--_ekyc-spacing) 0 0.25rem;
  }
  p {
    margin: 0 0 calc(var(--_ekyc-spacing) * 0.75);
  }
  .muted {
    color: var(--_ekyc-color-muted);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_ekyc-spacing) * 0.5);
    margin-top: var(--_ekyc-spacing);
  }
  button,
  .button {
    font: inherit;
    font-weight: 600;
    min-height: 2.75rem;
    min-width: 2.75rem;
    padding: 0.5rem 1.25rem;
    border-radius: var(--_ekyc-radius);
    border: 2px solid var(--_ekyc-color-primary);
    background: var(--_ekyc-color-surface);
    color: var(--_ekyc-color-primary);
    cursor: pointer;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
    justify-content: center;
  }
  button.primary {
    background: var(--_ekyc-color-primary);
    color: var(--_ekyc-color-on-primary);
  }
  button.primary:hover {
    background: var(--_ekyc-color-primary-hover);
    border-color: var(--_ekyc-color-primary-hover);
  }
  button:focus-visible,
  .button:focus-visible,
  a:focus-visible,
  input:focus-visible {
    outline: var(--_ekyc-focus-ring);
    outline-offset: 2px;
  }
  button[disabled] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  a {
    color: var(--_ekyc-color-primary);
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    border: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }
  }
`;

/** The camera stage: video and its SVG overlay share one box and one aspect ratio. */
export const stageStyles = css`
  .stage {
    position: relative;
    width: 100%;
    aspect-ratio: var(--ekyc-stage-aspect, 16 / 9);
    background: #111827;
    border-radius: var(--_ekyc-radius);
    overflow: hidden;
  }
  .stage video,
  .stage svg.overlay {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
  }
  .stage video {
    object-fit: contain;
  }
  .stage.mirrored video,
  .stage.mirrored svg.overlay {
    transform: scaleX(-1);
  }
  .guidance {
    margin: calc(var(--_ekyc-spacing) * 0.75) 0 0;
    padding: 0.5rem 0.75rem;
    border-radius: var(--_ekyc-radius);
    background: #111827;
    color: #ffffff;
    font-weight: 600;
    text-align: center;
    min-height: 2.75rem;
  }
  .guidance.good {
    background: var(--_ekyc-color-success);
  }
  .overlay .guide {
    fill: none;
    stroke: var(--_ekyc-color-guide);
    stroke-width: 4;
    vector-effect: non-scaling-stroke;
    transition: stroke 200ms ease-out;
  }
  .overlay .guide.good {
    stroke: #22c55e;
  }
  .overlay .shade {
    fill: var(--_ekyc-color-overlay);
    fill-rule: evenodd;
  }
  .overlay .detected {
    fill: none;
    stroke: var(--_ekyc-color-detected);
    stroke-width: 3;
    vector-effect: non-scaling-stroke;
  }
  .overlay .landmark {
    fill: var(--_ekyc-color-detected);
  }
  progress {
    width: 100%;
    height: 0.75rem;
    accent-color: var(--_ekyc-color-success);
  }
`;
