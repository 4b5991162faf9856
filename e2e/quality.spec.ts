import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Evaluated } from './pages/quality.ts';

/**
 * Every frame's document found, each corner within 5% of the document's width of the label's (eval:quality's measure);
 * with `inViewOnly` (a document running off the frame), each corner in the frame, at least two of them.
 */
function expectFoundWithinFivePercent(results: readonly Evaluated[], { frameWidth = 1280, frameHeight = 720, inViewOnly = false } = {}): void {
  for (const r of results) {
    const found = r.assessment.metrics.document;
    expect(found, `seed ${r.label.seed}`).not.toBeNull();
    const judged = r.label.corners!.flatMap((c, i) => (!inViewOnly || (c.x >= 0 && c.y >= 0 && c.x <= frameWidth && c.y <= frameHeight) ? [i] : []));
    if (inViewOnly) expect(judged.length, `seed ${r.label.seed}: corners in view`).toBeGreaterThanOrEqual(2);
    for (const i of judged) {
      const error = Math.hypot(r.label.corners![i]!.x - found!.corners[i]!.x, r.label.corners![i]!.y - found!.corners[i]!.y);
      expect(error, `seed ${r.label.seed}: corner ${i}, px`).toBeLessThan(0.05 * r.label.widthFraction * frameWidth);
    }
  }
}

/** Clean held-card frames (eval:quality --thumb, the clean set) by seed, evaluated in the page. */
function evaluateHeldClean(page: Page, seeds: readonly number[]): Promise<Evaluated[]> {
  return page.evaluate(async (list) => {
    const results: Evaluated[] = [];
    for (const seed of list) results.push(await window.qualityTest.evaluate(seed, 'clean', true));
    return results;
  }, seeds);
}

test.describe('capture quality worker (OpenCV.js) on synthetic labelled frames', () => {
  const cspReports: string[] = [];

  test.beforeEach(async ({ page }) => {
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspReports.push(message.text().slice(0, 200));
    });
    await page.goto('/e2e/pages/quality.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
  });

  test('the generator is deterministic by seed', async ({ page }) => {
    const [a, b, c] = await page.evaluate(async () => [await window.qualityTest.frameDigest(5), await window.qualityTest.frameDigest(5), await window.qualityTest.frameDigest(6)]);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  test('documents from the held-out icao renderer (ID-1 front, ID-2, ID-3, a driving licence; no header band) are found and judged good when clean', async ({ page }) => {
    // `eval:quality --renderer icao`: the document-reading renderers, never tuned on. Clean seeds 700000 (a TD1
    // card's front), 700001 (a TD3 page), 700002 (a TD2 card) and 700007 (an EU driving licence).
    const results = await page.evaluate(async () => {
      const out: Evaluated[] = [];
      for (const seed of [700000, 700001, 700002, 700007]) out.push(await window.qualityTest.evaluate(seed, 'clean', false, undefined, undefined, 'icao'));
      return out;
    });
    expect(results.map((r) => [r.label.renderer, r.label.document, r.label.style])).toEqual([
      ['icao', 'td1', null],
      ['icao', 'td3', null],
      ['icao', 'td2', null],
      ['icao', 'licence', null],
    ]);
    expectFoundWithinFivePercent(results);
    for (const r of results) expect(r.assessment.guidance, `seed ${r.label.seed}`).toEqual(['good']);
  });

  test('finds documents, refines their corners and flags what the labels say, with no CSP report from OpenCV', async ({ page }) => {
    const results = await page.evaluate(() => window.qualityTest.evaluateMany(2000, 24));
    expect(new Set(results.map((r) => r.label.renderer))).toEqual(new Set(['styled']));
    const withDoc = results.filter((r) => r.label.document);
    const found = withDoc.filter((r) => r.assessment.metrics.document);
    expect(found.length / withDoc.length).toBeGreaterThan(0.6);
    for (const r of results.filter((x) => !x.label.document)) expect(r.assessment.guidance).toContain('no_document');
    const inView = found.filter((r) => r.label.cornerMarginPx > 20);
    const errors = inView.map((r) => Math.max(...r.label.corners!.map((c, i) => Math.hypot(c.x - r.assessment.metrics.document!.corners[i]!.x, c.y - r.assessment.metrics.document!.corners[i]!.y))));
    errors.sort((a, b) => a - b);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(10);
    // Glare (a hotspot's saturated core) and exposure (a dark document, print clipped by the gain, or
    // most of the security print washed into the clipped stock) are labelled by construction: the checks should agree on most frames.
    const agree = (check: 'glare' | 'lighting', problem: (r: (typeof found)[number]) => boolean) => found.filter((r) => problem(r) === !r.assessment.checks[check]).length / found.length;
    expect(agree('glare', (r) => r.label.glareFraction > 0.05)).toBeGreaterThan(0.8);
    expect(agree('lighting', (r) => r.label.brightness < 80 || r.label.clippedContentFraction > 0.05 || r.label.lostSecurityPrintFraction > 0.5)).toBeGreaterThan(0.8);
    expect(cspReports).toEqual([]);
  });

  test("a card whose sides run into a weave or a grain line is found whole; a background's lines never replace a card", async ({ page }) => {
    // Tuning frames (eval:quality seeds): 380005, a card on a weave whose only clean contour was its
    // portrait box (read 0.27 of the frame wide for 0.71); 380074, a far card turned on a tartan whose
    // stripes do not run along its sides; 380245, a card square to a tartan whose stripes frame it;
    // clean 420060, a card whose bottom edge a grain line carries on to the border (its whole outline
    // failed at that corner; the part beside its portrait box, 0.38 wide for 0.53, was taken); 380176
    // and clean 420086, pastel cards whose faint outline was not found, their portrait box under the
    // header band taken (0.25 and 0.28 wide for 0.65 and 0.52) until the box's top side, carrying on
    // along the band's edge past its corner, told it was a part of the card; clean 60010, a pastel card
    // on a wood of its colour whose sides show only across its header and MRZ bands (no outline was
    // found), and clean 380063, whose band's lower edge and printed frame line must not be taken for
    // its top and bottom sides instead of its own outline.
    const results = await page.evaluate(async () => [
      ...(await window.qualityTest.evaluateMany(380005, 1)),
      ...(await window.qualityTest.evaluateMany(380074, 1)),
      ...(await window.qualityTest.evaluateMany(380245, 1)),
      await window.qualityTest.evaluate(420060, 'clean'),
      ...(await window.qualityTest.evaluateMany(380176, 1)),
      await window.qualityTest.evaluate(420086, 'clean'),
      await window.qualityTest.evaluate(60010, 'clean'),
      await window.qualityTest.evaluate(380063, 'clean'),
    ]);
    expectFoundWithinFivePercent(results);
  });

  test('a held card whose outline a thumb breaks is found whole, not a part of it', async ({ page }) => {
    // Held tuning frames (eval:quality --thumb, clean): 130020, the card found with one side partly under
    // the thumb, then a part of it beside the thumb with four supported sides taken instead (0.38 of the
    // card's width off); 130025 and 140040, a hull of card and thumb taken as the fallback (its weakest side
    // supported 0.09-0.19) before the straight edges were asked; 140033, the same, 0.54 of the width off.
    expectFoundWithinFivePercent(await evaluateHeldClean(page, [130020, 130025, 140033, 140040]));
  });

  test('a held card is found from the sides the thumb leaves in view, not as a part of it', async ({ page }) => {
    // Held frames (eval:quality --thumb, clean) of session 25: 140010, 480029 and 480052, a thumb from the
    // frame's border over a corner, the card's quad rebuilt around it with its side along the thumb's edge,
    // off the card's edges until fitted (0.37-0.46 of the width off before); 480011, a part of the card
    // inside its held outline that grew past the card's side (0.68 off); 130012, a header band the table's
    // colour, the held outline stopping at the band (0.68 off).
    expectFoundWithinFivePercent(await evaluateHeldClean(page, [140010, 480029, 480052, 480011, 130012]));
  });

  test('a held card whose outline ran on along the thumb at a corner is turned back onto its sides', async ({ page }) => {
    // Held tuning frames of session 25 (clean): 140000 and 480047, a thumb from the left border across the
    // card's left side; the outline's corner there lay on the thumb's edge, two sides off the card's, and a
    // part of the card was taken (0.36 and 0.23 of the width off before).
    expectFoundWithinFivePercent(await evaluateHeldClean(page, [140000, 480047]));
  });

  test('a held card the search took a part of, or a stretch of background around, is found from its straight edges', async ({ page }) => {
    // Held tuning frames of session 26 (clean): the search ended on a part of the card (140057, 140021: a
    // column beside the thumb, 1.06 and 0.74 of the width off; 480027, 0.31 off) or a quad of the card's and the
    // thumb's edges (480028 and 140071, 0.36 and 0.37 off); each fails a framing check, and the card's four
    // straight edges (of its long outlines only), one partly under the thumb, stand out more.
    expectFoundWithinFivePercent(await evaluateHeldClean(page, [140057, 140021, 480027, 480028, 140071]));
  });

  test('a held card is told from an outline that is not a card by its rounded corners', async ({ page }) => {
    // Held tuning frames of session 27 (clean): the search's outline ran along the thumb to the frame's border
    // (130058, 0.27 of the width off) or stopped at the header band's inner edge (140022, 0.09 off); the held
    // card, its corners rounded where the outline's are square, stood out no more clearly than the outline and
    // was not taken on contrast.
    expectFoundWithinFivePercent(await evaluateHeldClean(page, [130058, 140022]));
  });

  test('a held card whose sides are left in pieces shorter than the usual straight piece is found from them', async ({ page }) => {
    // Held tuning frames of session 28 (clean): the thumb and a printed frame's line beside the card's sides
    // left them only in straight pieces under the shortest the held route asked for, and the search's outline
    // was a part of the card or ran off it (480001, 0.49 of the width off; 480051, 1.08 off; 480025, 0.06 off).
    expectFoundWithinFivePercent(await evaluateHeldClean(page, [480001, 480051, 480025]));
  });

  test("a held card found as its portrait column is grown to the card past the sides that carry on", async ({ page }) => {
    // Held frames of session 31 (clean): a thumb over the card's far side, the card outlined as its portrait
    // column (an ID-1 card's proportions turned upright) and the user told to move closer: 130007 (by the held
    // route, 0.70 of the width off), 130035 and 530037 (by the search, 0.63 and 0.68 off).
    expectFoundWithinFivePercent(await evaluateHeldClean(page, [130007, 130035, 530037]));
  });

  test('a card found as its column between its bands is grown past sides that carry on with the band outside', async ({ page }) => {
    // Frames of session 32 (clean): the card outlined as the column beside its portrait box, between the header
    // band's and the MRZ band's edges, and the user told to move closer or to re-frame: held 480006, 530019 and
    // 560027 (0.56, 0.70 and 0.71 of the width off), plain 600195 (varied set, labelled clean; 0.19 off).
    expectFoundWithinFivePercent(await evaluateHeldClean(page, [480006, 530019, 560027]));
    expectFoundWithinFivePercent(await page.evaluate(async () => [await window.qualityTest.evaluate(600195, 'varied', false)]));
  });

  test("a card whose sides a tartan's stripes carry on is found as the card, not as the stripes' rectangle", async ({ page }) => {
    // Clean tuning 130000 and held 550001 were captured 22-25% off: the card's sides, carried on by stripes to a
    // stripe across them, made a larger quad with four supported sides, two of its corners the card's. Held-out
    // icao 710057, a small card on a tartan, was replaced by the stripes' rectangle around it (102% off) and captured;
    // 710234 too (34% off), its card's fourth corner reading neither rounded nor square (taken since session 34).
    const results = await page.evaluate(async () => [
      await window.qualityTest.evaluate(130000, 'clean'),
      await window.qualityTest.evaluate(550001, 'clean', true),
      await window.qualityTest.evaluate(710057, 'varied', false, undefined, undefined, 'icao'),
      await window.qualityTest.evaluate(710234, 'varied', false, undefined, undefined, 'icao'),
    ]);
    expectFoundWithinFivePercent(results);
    expect(results[2]!.assessment.guidance).not.toContain('good');
    expect(results[3]!.assessment.guidance).not.toContain('good');
  });

  test('a card whose short sides rank under a striped background\'s lines is found, lying free or held', async ({ page }) => {
    // Until session 35 the quads of straight edges were built from the 16 longest lines only, and on a weave or with a
    // thumb along a card's long sides all 16 could lie one way: clean 130025 (a card on a weave) was not found, clean
    // held 480022 and 590055 were outlined 39-72% off and told to re-frame. Lines across the longest are now brought in
    // where the longest made no outline. All three are clean: found within 5% and judged good.
    const results = await page.evaluate(async () => [
      await window.qualityTest.evaluate(130025, 'clean'),
      await window.qualityTest.evaluate(480022, 'clean', true),
      await window.qualityTest.evaluate(590055, 'varied', true),
    ]);
    expectFoundWithinFivePercent(results);
    for (const r of results) expect(r.assessment.guidance, `seed ${r.label.seed}`).toEqual(['good']);
  });

  test('a document running off the frame is found where its contours or the coarse edges miss its sides', async ({ page }) => {
    // Held-out icao frames told `no_document` until session 34. 700233: a card running off two borders on a streaked
    // cloth, the weak pass's edge map a texture with no straight edge, its bottom side a contour with no area: found
    // from the strong pass's straight edges. 700240: a page running off the top, its rounded corners putting the
    // contour's vertices on their bends, so the border-closed quad's sides missed the coarse edges: found refined.
    const results = await page.evaluate(async () => [
      await window.qualityTest.evaluate(700233, 'varied', false, undefined, undefined, 'icao'),
      await window.qualityTest.evaluate(700240, 'varied', false, undefined, undefined, 'icao'),
    ]);
    expectFoundWithinFivePercent(results, { inViewOnly: true });
    for (const r of results) {
      expect(r.label.cornerMarginPx, `seed ${r.label.seed}`).toBeLessThan(0);
      expect(r.assessment.guidance, `seed ${r.label.seed}`).toContain('align_document');
    }
  });

  test('a card cut off by the frame is not told to move closer first', async ({ page }) => {
    // Plain varied frames of session 32, cards 0.80-0.89 of the width running off the frame, each outlined as a
    // column of the card beside its portrait box and told `move_closer` first (100066, 380297, 600267); and cut off
    // as the visible part of a card reading under half the width (100010, 380268), now asked to align first.
    const results = await page.evaluate(async () => {
      const out: Evaluated[] = [];
      for (const seed of [100066, 380297, 600267, 100010, 380268]) out.push(await window.qualityTest.evaluate(seed, 'varied', false));
      return out;
    });
    for (const r of results) {
      expect(r.label.cornerMarginPx, `seed ${r.label.seed}`).toBeLessThan(0);
      expect(r.assessment.guidance[0], `seed ${r.label.seed}`).not.toBe('move_closer');
    }
  });

  test('a frame held upright (720x1280) is searched at the scale of a landscape frame of its width', async ({ page }) => {
    // Portrait frames of session 29 (eval:quality --size 720x1280, seeds 610000). The outline's smallest area and
    // straight pieces were shares of the whole upright frame: far cards (0.3-0.4 of the width) were under the
    // smallest outline and told no_document (varied 610041, 610094, 610276), and a stretch of background around
    // a clean card was taken for it (clean 610075, 0.93 of the width off; 610078, 0.07).
    const results = await page.evaluate(async () => {
      const upright = { width: 720, height: 1280 };
      const out: Evaluated[] = [];
      for (const seed of [610041, 610094, 610276]) out.push(await window.qualityTest.evaluate(seed, 'varied', false, upright));
      for (const seed of [610075, 610078]) out.push(await window.qualityTest.evaluate(seed, 'clean', false, upright));
      return out;
    });
    expectFoundWithinFivePercent(results, { frameWidth: 720, frameHeight: 1280 });
    for (const r of results.slice(0, 3)) expect(r.assessment.guidance, `seed ${r.label.seed}`).toContain('move_closer');
    for (const r of results.slice(3)) expect(r.assessment.guidance, `seed ${r.label.seed}`).toEqual(['good']);
  });

  test('a steady good stream auto-captures exactly once, on the Nth stable frame', async ({ page }) => {
    // Clean frames (near-frontal, well exposed, no glare or blur) repeated as a steady stream; most
    // are judged good, a few are not (tilt near the limit, background merged with the card).
    let stream: Awaited<ReturnType<typeof window.qualityTest.stream>> = [];
    let goodSeeds = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const frames = await page.evaluate((s) => window.qualityTest.stream(s, 6), seed);
      if (frames[1]!.guidance[0] === 'good') {
        goodSeeds++;
        stream = frames;
      }
    }
    expect(goodSeeds).toBeGreaterThanOrEqual(4);
    expect(stream[0]!.guidance).toEqual(['hold_steady']);
    expect(stream.slice(1).map((f) => f.guidance[0])).toEqual(['good', 'good', 'good', 'good', 'good']);
    expect(stream.map((f) => f.capture)).toEqual([false, false, false, true, false, false]);
  });

  test('bad input returns invalid_frame and the worker stays alive', async ({ page }) => {
    const { outcomes, afterwards, restarts } = await page.evaluate(() => window.qualityTest.badInputs());
    for (const [name, outcome] of Object.entries(outcomes)) expect(outcome, name).toEqual({ code: 'invalid_frame', recoverable: true });
    expect(afterwards.length).toBeGreaterThan(0);
    expect(restarts).toBe(0);
  });

  test('eval:quality --data reads a folder of images and labels and ends with its JSON summary', async () => {
    test.setTimeout(300_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'eval-quality-'));
    try {
      const script = path.resolve('scripts/eval-quality.mjs');
      execFileSync(process.execPath, [script, '--write-data', dir, '--count', '6', '--clean-count', '3', '--first', '300'], { stdio: ['ignore', 'ignore', 'ignore'] });
      const labels = JSON.parse(readFileSync(path.join(dir, 'labels.json'), 'utf8')) as { file: string; corners: number[][] | null; pose: object | null; good: boolean }[];
      expect(labels).toHaveLength(6);
      for (const label of labels) {
        expect(readFileSync(path.join(dir, label.file)).subarray(1, 4).toString()).toBe('PNG');
        if (label.corners) expect(label.corners).toHaveLength(4);
      }
      const out = execFileSync(process.execPath, [script, '--data', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
      const summary = JSON.parse(out[out.length - 1]!) as Record<string, number | null>;
      expect(Object.keys(summary)).toEqual(['frames', 'found', 'goodJudgedGood', 'badJudgedGood', 'cornerErrorMedianPx', 'withinFivePercent', 'tiltErrorMedianDeg']);
      expect(summary['frames']).toBe(6);
      for (const key of ['found', 'withinFivePercent']) expect(summary[key]).toBeGreaterThanOrEqual(0);
      expect(summary['cornerErrorMedianPx']).toBeLessThan(20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('eval:quality --jpeg writes and judges frames through the browser\'s JPEG encoder, and refuses a quality out of range or an unknown renderer', async () => {
    test.setTimeout(300_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'eval-quality-jpeg-'));
    try {
      const script = path.resolve('scripts/eval-quality.mjs');
      execFileSync(process.execPath, [script, '--write-data', dir, '--count', '2', '--clean-count', '1', '--first', '300', '--jpeg', '85'], { stdio: ['ignore', 'ignore', 'ignore'] });
      const labels = JSON.parse(readFileSync(path.join(dir, 'labels.json'), 'utf8')) as { file: string }[];
      expect(labels.map((l) => l.file)).toEqual(['varied-300.jpg', 'clean-300.jpg']);
      // A JPEG's start-of-image marker, then the next marker.
      for (const label of labels) expect([...readFileSync(path.join(dir, label.file)).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      const out = execFileSync(process.execPath, [script, '--data', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
      const summary = JSON.parse(out[out.length - 1]!) as Record<string, number | null>;
      expect(summary['frames']).toBe(2);
      expect(summary['found']).toBeGreaterThanOrEqual(0);
      expect(() => execFileSync(process.execPath, [script, '--no-write', '--jpeg', '0'], { stdio: ['ignore', 'ignore', 'pipe'] })).toThrow(/--jpeg takes a JPEG quality from 1 to 100/);
      expect(() => execFileSync(process.execPath, [script, '--no-write', '--renderer', 'photo'], { stdio: ['ignore', 'ignore', 'pipe'] })).toThrow(/--renderer takes styled or icao/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
