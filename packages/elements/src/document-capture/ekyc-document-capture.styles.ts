import { css } from 'lit';

export const documentCaptureStyles = css`
  .captured {
    color: var(--_ekyc-color-success);
    font-weight: 600;
  }
  .countdown {
    margin-top: 0.5rem;
  }
`;
