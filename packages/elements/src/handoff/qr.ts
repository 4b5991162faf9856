import qrcode from 'qrcode-generator';

export interface QrMatrix {
  /** Modules per side. */
  size: number;
  /** One SVG path of unit squares, one per dark module: drawn with attributes only, no inline style. */
  path: string;
}

/**
 * The QR code of a text (error correction M: a phone camera reads it on a screen with glare),
 * as one SVG path. The smallest version that holds the text is chosen.
 */
export function qrMatrix(text: string): QrMatrix {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  let path = '';
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) if (qr.isDark(row, col)) path += `M${col} ${row}h1v1h-1z`;
  }
  return { size, path };
}
