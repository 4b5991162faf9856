import { css } from 'lit';

export const progressStyles = css`
  .base {
    padding: 0.5rem 0;
  }
  .row {
    display: flex;
    justify-content: space-between;
    gap: 0.5rem;
    font-size: 0.875rem;
  }
  progress {
    width: 100%;
    height: 0.75rem;
    accent-color: var(--_ekyc-color-primary);
  }
`;
