// `npm run manifest -w @ekyc/elements` writes custom-elements.json from the elements' JSDoc headers.
// custom-elements.test.ts fails when the committed file is not what this produces.
export default {
  // The element classes and their base class; styles, i18n and helpers are not part of the elements' API.
  globs: ['src/*/ekyc-*.ts', 'src/shared/ekyc-element.ts'],
  exclude: ['src/**/*.styles.ts', 'src/**/*.test.ts'],
  // The up-to-date test writes a fresh copy elsewhere through CEM_OUTDIR.
  outdir: process.env.CEM_OUTDIR ?? '.',
  litelement: true,
  // package.json names custom-elements.json itself; the analyzer would rewrite it to the check's copy.
  packagejson: false,
  plugins: [
    {
      // The analyzer lists modules in the order the file system returns the globbed files, which
      // differs between checkouts; sorted by path, the manifest is the same everywhere.
      name: 'ekyc-sort-modules',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      },
    },
  ],
};
