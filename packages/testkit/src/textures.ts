import type { Random } from './random.ts';

// Backgrounds a card is really photographed on: wood grain and woven fabric. Both are busy with
// long straight-ish edges (grain lines, threads) that compete with the card's own outline.

/** Wood: a brown base, long wavy grain lines of varying darkness, a few knots. */
export function paintWood(ctx: OffscreenCanvasRenderingContext2D, random: Random, width: number, height: number): void {
  const hue = random.int(18, 38);
  const lightness = random.int(22, 62);
  ctx.fillStyle = `hsl(${hue} ${random.int(35, 60)}% ${lightness}%)`;
  ctx.fillRect(0, 0, width, height);
  const vertical = random.chance(0.5);
  const [along, across] = vertical ? [height, width] : [width, height];
  const line = (a: number, b: number): [number, number] => (vertical ? [b, a] : [a, b]);
  for (let i = 0; i < 220; i++) {
    const offset = random.range(-0.05, 1.05) * across;
    const waves = random.range(0.5, 2.5);
    const amplitude = random.range(2, 18);
    const phase = random.range(0, Math.PI * 2);
    ctx.strokeStyle = `hsl(${hue} 45% ${Math.max(5, lightness + random.int(-18, 10))}% / ${random.range(0.15, 0.5).toFixed(2)})`;
    ctx.lineWidth = random.range(0.8, 4);
    ctx.beginPath();
    for (let a = 0; a <= along; a += 16) ctx.lineTo(...line(a, offset + amplitude * Math.sin((a / along) * waves * Math.PI * 2 + phase)));
    ctx.stroke();
  }
  for (let k = random.int(0, 3); k > 0; k--) {
    const [x, y] = [random.range(0, width), random.range(0, height)];
    for (let r = random.range(6, 24); r > 2; r -= 3) {
      ctx.strokeStyle = `hsl(${hue} 50% ${Math.max(5, lightness - 15)}% / 0.5)`;
      ctx.beginPath();
      ctx.ellipse(x, y, r * (vertical ? 0.6 : 1.8), r * (vertical ? 1.8 : 0.6), 0, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
}

/** Fabric: a solid colour woven with fine warp and weft threads, sometimes a check pattern. */
export function paintFabric(ctx: OffscreenCanvasRenderingContext2D, random: Random, width: number, height: number): void {
  const hue = random.int(0, 359);
  const saturation = random.int(10, 60);
  const lightness = random.int(18, 70);
  ctx.fillStyle = `hsl(${hue} ${saturation}% ${lightness}%)`;
  ctx.fillRect(0, 0, width, height);
  const pitch = random.range(3, 7);
  ctx.lineWidth = pitch * 0.45;
  for (const horizontal of [true, false]) {
    for (let p = 0; p < (horizontal ? height : width); p += pitch) {
      ctx.strokeStyle = `hsl(${hue} ${saturation}% ${Math.max(4, Math.min(96, lightness + (random.chance(0.5) ? 7 : -7)))}% / 0.55)`;
      ctx.beginPath();
      if (horizontal) {
        ctx.moveTo(0, p);
        ctx.lineTo(width, p);
      } else {
        ctx.moveTo(p, 0);
        ctx.lineTo(p, height);
      }
      ctx.stroke();
    }
  }
  if (random.chance(0.4)) {
    // Check (tartan-like) bands.
    const band = random.range(30, 90);
    ctx.fillStyle = `hsl(${(hue + 150) % 360} ${saturation}% ${Math.max(10, lightness - 15)}% / 0.3)`;
    for (let p = random.range(0, band); p < Math.max(width, height); p += band * 2) {
      ctx.fillRect(p, 0, band * 0.4, height);
      ctx.fillRect(0, p, width, band * 0.4);
    }
  }
}
