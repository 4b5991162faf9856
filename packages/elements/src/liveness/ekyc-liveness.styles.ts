import { css } from 'lit';

export const livenessStyles = css`
  .prompt {
    font-size: 1.25rem;
  }
  .step {
    margin: 0.5rem 0 0;
    text-align: center;
  }
`;
