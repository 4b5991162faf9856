import { css } from 'lit';

export const handoffStyles = css`
  .qr {
    display: block;
    width: min(16rem, 100%);
    height: auto;
    margin: 0 auto var(--_ekyc-spacing);
    background: #ffffff;
    border: 1px solid var(--_ekyc-color-border);
    border-radius: var(--_ekyc-radius);
  }
  .link {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
  }
  .url {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace;
    font-size: 0.875rem;
    overflow-wrap: anywhere;
    flex: 1 1 12rem;
  }
  .status {
    font-weight: 600;
  }
  .status.failed,
  .status.expired {
    color: var(--_ekyc-color-danger);
  }
`;
