import { css } from 'lit';

export const uploadStyles = css`
  .picker {
    display: grid;
    gap: 0.25rem;
    padding: 0.75rem;
    margin-bottom: 0.75rem;
    border: 2px dashed var(--ekyc-color-border);
    border-radius: var(--ekyc-radius);
  }
  .picker.done {
    border-style: solid;
    border-color: var(--ekyc-color-success);
  }
  .picker .label {
    font-weight: 600;
  }
  .added {
    color: var(--ekyc-color-success);
    font-weight: 600;
  }
  .missing {
    color: var(--ekyc-color-danger);
    font-weight: 600;
  }
`;
