import { css } from 'lit';

export const flowStyles = css`
  .steps {
    margin: 0 0 0.5rem;
    font-size: 0.875rem;
  }
  .processing h2 {
    margin-bottom: 0.25rem;
  }
`;
