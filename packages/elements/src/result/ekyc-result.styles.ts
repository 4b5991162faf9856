import { css } from 'lit';

export const resultStyles = css`
  .icon {
    width: 3rem;
    height: 3rem;
    margin-bottom: 0.5rem;
  }
  .approve .icon {
    color: var(--_ekyc-color-success);
  }
  .reject .icon,
  .expired .icon {
    color: var(--_ekyc-color-danger);
  }
  .review .icon,
  .pending .icon {
    color: var(--_ekyc-color-warning);
  }
  .icon,
  .local .icon,
  .submitted .icon {
    color: var(--_ekyc-color-primary);
  }
  .reference {
    font-size: 0.875rem;
    overflow-wrap: anywhere;
  }
`;
