import { css } from 'lit';

export const consentStyles = css`
  .section {
    border-left: 4px solid var(--_ekyc-color-primary);
    padding-left: 0.75rem;
    margin: 0 0 0.75rem;
  }
  .section h3 {
    margin-top: 0;
  }
  .section p {
    margin: 0;
  }
`;
