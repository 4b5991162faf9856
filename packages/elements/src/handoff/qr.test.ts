import qrcode from 'qrcode-generator';
import { describe, expect, it } from 'vitest';
import { qrMatrix } from './qr.ts';

describe('qrMatrix', () => {
  it('draws exactly the dark modules of the library\'s QR code, one unit square each', () => {
    const url = 'https://kyc.example.com/verify#ekyc-handoff=hx_4Jq9TzWm2cVb8sLk';
    const { size, path } = qrMatrix(url);
    const reference = qrcode(0, 'M');
    reference.addData(url, 'Byte');
    reference.make();
    expect(size).toBe(reference.getModuleCount());
    let dark = 0;
    for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) if (reference.isDark(r, c)) dark++;
    expect(path.match(/M/g)?.length).toBe(dark);
    // The three finder patterns: the top-left module of each is dark.
    expect(path).toContain('M0 0h1v1h-1z');
    expect(path).toContain(`M${size - 7} 0h1v1h-1z`);
    expect(path).toContain(`M0 ${size - 7}h1v1h-1z`);
  });

  it('grows with the text and refuses nothing a handoff link needs', () => {
    expect(qrMatrix('a').size).toBe(21);
    expect(qrMatrix(`https://example.com/#ekyc-handoff=${'x'.repeat(200)}`).size).toBeGreaterThan(21);
  });
});
