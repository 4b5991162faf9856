import type { BenchResult } from '../types.ts';

type Suite = (ctx: { assetBaseUrl: string }) => Promise<BenchResult[]>;

const suites = import.meta.glob<Suite>('../browser/*.bench.ts', { import: 'default' });

const api = {
  names(): string[] {
    return Object.keys(suites).map((path) => path.replace(/^.*\/(.*)\.bench\.ts$/, '$1'));
  },
  async run(name: string): Promise<BenchResult[]> {
    const load = suites[`../browser/${name}.bench.ts`];
    if (!load) throw new Error(`no browser suite ${name}`);
    return (await load())({ assetBaseUrl: '/ekyc/' });
  },
};

declare global {
  interface Window {
    bench: typeof api;
  }
}
window.bench = api;
document.body.dataset['ready'] = 'true';
