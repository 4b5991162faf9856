import { css } from 'lit';

export const errorScreenStyles = css`
  .icon {
    width: 3rem;
    height: 3rem;
    color: var(--_ekyc-color-danger);
    margin-bottom: 0.5rem;
  }
  .actions {
    flex-direction: column;
    align-items: stretch;
  }
`;
