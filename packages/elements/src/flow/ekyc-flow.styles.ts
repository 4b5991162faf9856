import { css } from 'lit';

export const flowStyles = css`
  /* The step elements sit inside this element's padding: theirs would indent them twice. */
  [data-view]::part(base) {
    padding: 0;
  }
  .steps {
    margin: 0 0 0.5rem;
    font-size: 0.875rem;
  }
  .processing h2 {
    margin-bottom: 0.25rem;
  }
`;
