import { css } from 'lit';

export const uploadStyles = css`
  .picker {
    display: grid;
    gap: 0.25rem;
    padding: 0.75rem;
    margin-bottom: 0.75rem;
    border: 2px dashed var(--_ekyc-color-border);
    border-radius: var(--_ekyc-radius);
  }
  .picker.done {
    border-style: solid;
    border-color: var(--_ekyc-color-success);
  }
  .picker .label {
    font-weight: 600;
  }
  .added {
    color: var(--_ekyc-color-success);
    font-weight: 600;
  }
  .missing {
    color: var(--_ekyc-color-danger);
    font-weight: 600;
  }
`;
