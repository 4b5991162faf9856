import { css } from 'lit';

export const documentReviewStyles = css`
  .fields {
    display: grid;
    gap: 0.75rem;
    margin: 0;
  }
  .field {
    display: grid;
    gap: 0.25rem;
    padding: 0.5rem 0.75rem;
    border-radius: var(--_ekyc-radius);
    background: var(--_ekyc-color-surface-alt);
  }
  .field.uncertain {
    background: var(--_ekyc-color-warning-surface);
    border-left: 4px solid var(--_ekyc-color-warning);
  }
  label,
  .label {
    font-weight: 600;
  }
  .badge {
    color: var(--_ekyc-color-warning);
    font-weight: 600;
    font-size: 0.875rem;
  }
  .value {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace;
    overflow-wrap: anywhere;
  }
  input {
    font: inherit;
    font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace;
    min-height: 2.75rem;
    padding: 0.375rem 0.5rem;
    border: 2px solid var(--_ekyc-color-border);
    border-radius: calc(var(--_ekyc-radius) / 2);
    color: var(--_ekyc-color-text);
    background: var(--_ekyc-color-surface);
  }
  .issue {
    color: var(--_ekyc-color-danger);
    font-weight: 600;
  }
`;
