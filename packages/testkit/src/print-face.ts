/**
 * The face every testkit document prints its words in (titles, labels, field values), named rather than
 * the generic `sans-serif`: Chromium resolves the generic family through fontconfig, so it draws DejaVu
 * Sans on one machine and Liberation Sans on another, and the same seed would render a different page
 * (and measure a different accuracy). .ci/run installs fonts-dejavu-core.
 */
export const PRINT_FACE = '"DejaVu Sans", sans-serif';
