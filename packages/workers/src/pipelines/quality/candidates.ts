import { quality } from '@ekyc/core';
import { grayView, polygonPoints, quadFromMat, type FrameBuffers, type Mat, type MatScope, type OpenCv } from './opencv-frame.ts';
import { searchArea, shortestPiece } from './search-scale.ts';
import { longOutlines, longStraightEdges, straightEdges } from './straight-edges.ts';
import { CROSSING_LINES, MAX_BOX_SHARE, MIN_AREA_FRACTION, acceptBanded, acceptFallback, borderSides, chooseQuad, coarselySupported, documentPastCarriedSides, documentSeenFromCorner, failsFraming, hasCardCorners, heldCardFromLines, heldCardOverFound, holdsBox, isWeakFallback, parallel, plausible, smallOrMisshapenInView, withinReach, type Candidate, type Fallback, type SearchFrame } from './outline-policy.ts';

// The candidate search: quads proposed from the contours of the reduced frame's edge maps, by
// several routes, each judged by outline-policy.ts.

/** Canny thresholds, strong first; the weak pass finds documents on backgrounds of similar colour. */
const CANNY_PASSES = [
  [40, 120],
  [12, 36],
] as const;
/** Longest simplified outline whose 4-corner subsets are tried as candidates (C(10, 4) = 210). */
const MAX_SUBSET_VERTICES = 10;
/** Outline points (evenly picked) a rough quad's sides are re-fitted to: enough for a line, cheap for 210 subsets. */
const MAX_FIT_POINTS = 120;
/** Simplification tolerances (fraction of the perimeter) tried in turn for the 4-corner subsets. */
const SUBSET_EPSILONS = [0.015, 0.025, 0.04] as const;

/**
 * The document's outline in a frame whose reduced copy is in `buffers` (see `FrameBuffers.reduce`),
 * or `null`. Each Canny pass (strong, then weak) proposes candidates; the first pass with a winner
 * decides, else the best-supported whole outline of all passes, if it has any support, else the
 * straight-edge routes (those first when that outline is weak: `isWeakFallback`); last, a card the
 * colour of its background seen only across its printed bands.
 */
export function findDocument(cv: OpenCv, buffers: FrameBuffers, frame: SearchFrame, scope: MatScope): quality.Quad | null {
  const found = searchDocument(cv, buffers, frame, scope);
  // Whichever route found it, a side carrying on past a corner as the same edge tells the outline is a
  // part of the document, cut by an inner edge (a portrait box, the MRZ band) where the document's own
  // outline is faint or broken. The document so found often runs off the frame: its sides are judged on
  // their part in view as the running-off routes judge theirs (`walk`, for every walk below too).
  const walk = { ...frame, minVisibleSide: RUNNING_OFF_MIN_VISIBLE_SIDE };
  const outline = found && (documentPastCarriedSides(found, walk) ?? found);
  if (!failsFraming(outline, frame)) return outline;
  // Before the user is told to re-frame: a held card whose contours merged with the thumb, the search ending
  // on a part of it or a stretch of background around it, still shows its sides as long straight edges
  // (the strong pass's long outlines: the weak pass's are mostly print and texture). On the bench's cold
  // frames (Node, OpenCV.js WASM) about 2.7 ms where it runs: the long outlines 0.7, the Hough transform
  // 0.9 and the held cards' quads 1.1; about 2 more where the shorter pieces are asked too, on the same outlines.
  buffers.detectEdges(CANNY_PASSES[0][0], CANNY_PASSES[0][1]);
  const long = longOutlines(cv, buffers.edges, scope);
  for (const pieceShare of HELD_PIECE_SHARES) {
    if (pieceShare < 1 && outline && hasCardCorners(outline, frame)) break;
    const lines = longStraightEdges(cv, long, frame.scale, scope, pieceShare);
    const held = heldCardFromLines(lines, grayView(buffers.dilated), frame);
    // The held card so found can be a part of it too (its portrait column has an ID-1 card's proportions upright).
    if (held && heldCardOverFound(held, outline, frame)) return documentAroundColumn(documentPastCarriedSides(held, walk) ?? held, walk);
  }
  return outline && documentAroundColumn(outline, walk);
}

/**
 * `outline`, or, when it is wholly in view and still too small or misshapen (`smallOrMisshapenInView`), the document
 * around it if it is a column of one beside its portrait box: its sides along the bands' edges carry on past the
 * box's corners with the band's colour outside alone (`documentPastCarriedSides` with `outsideOnly`). Held 480006,
 * 530019, 550003, 560007, 560027 and plain 600195, 100054 were so found 19-76% off and told `move_closer` or to re-frame.
 * `walk`: the search frame the walks judge sides on, by their part in view.
 */
function documentAroundColumn(outline: quality.Quad, walk: SearchFrame): quality.Quad {
  if (!smallOrMisshapenInView(outline, walk)) return outline;
  return documentPastCarriedSides(outline, walk, { outsideOnly: true }) ?? outline;
}

/**
 * The straight pieces a held card's sides are looked for in, as shares of the shortest usual piece
 * (`longStraightEdges`): the usual ones first, then, when they make no card taken over the search's
 * outline (and it has no card's corners: `hasCardCorners`), pieces half as long (about 18 px of the
 * reduced frame; the second Hough transform and its quads cost about 2 ms where they run). A thumb across a card's
 * short side leaves two pieces of it, and a side drawn as a pixel staircase beside a printed frame's
 * line breaks into pieces, each under the usual shortest (held 480001, 480051). Half as long from the
 * start lost cards the usual pieces find: their longest 16 lines then held other pieces (480015, 480028).
 */
const HELD_PIECE_SHARES = [1, 0.5] as const;

function searchDocument(cv: OpenCv, buffers: FrameBuffers, frame: SearchFrame, scope: MatScope): quality.Quad | null {
  const frameArea = searchArea(buffers.width, buffers.height);
  let fallback: Fallback | null = null;
  let banded: quality.Quad | null = null;
  let lastSegments: quality.Segment[] = [];
  const passSegments: quality.Segment[] = [];
  const brokenOutlines: quality.Quad[] = [];
  buffers.prepareGradient();
  for (const [low, high] of CANNY_PASSES) {
    // Contours of the thin edges keep a card apart from clutter it touches; of the dilated edges,
    // they close gaps in a faint outline. Both give candidates; edge support picks among them.
    buffers.detectEdges(low, high);
    const candidates: Candidate[] = [];
    const segments: quality.Segment[] = [];
    // The dilated edge map, read in JS (no OpenCV call may run while this view of the heap is held).
    const edgeMap = (): quality.GrayImage => grayView(buffers.dilated);
    collectCandidates(cv, buffers.edges, frame, frameArea, scope, candidates, segments, edgeMap);
    collectCandidates(cv, buffers.dilated, frame, frameArea, scope, candidates, segments, edgeMap);
    // A card merged with clutter all along a side keeps its sides as long straight pieces: quads from them.
    for (const quad of quality.quadsFromLines(segments)) {
      if (plausible(quad, frameArea) && withinReach(quad, frame.full)) candidates.push({ quad, partial: true });
    }
    // Parts of longer outlines are many (up to 210 per outline) and mostly cut through clutter:
    // those without edges under most of every side are dropped before the costly full-size scoring.
    const map = edgeMap();
    const worthScoring = candidates.filter((c) => !c.partial || coarselySupported(map, c.quad, frame));
    const chosen = chooseQuad(worthScoring, frame, segments, brokenOutlines);
    if (mayRunOffAround(chosen.quad, frame, frameArea)) {
      // The contours' straight pieces first; when they give no such document around a small outline,
      // the edge map's own straight lines, for one running off or one in view around it (see
      // `aroundSmallOutline`). Frames the first try serves pay nothing more.
      const runningOff = documentRunningOff(segments, frame, frameArea, map, chosen.quad) ?? (chosen.quad ? aroundSmallOutline(cv, buffers, frame, frameArea, scope, segments, chosen.quad, brokenOutlines) : null);
      if (runningOff) return runningOff;
    }
    if (chosen.quad) return chosen.quad;
    if (chosen.fallback && (!fallback || chosen.fallback.support > fallback.support)) fallback = chosen.fallback;
    banded ??= chosen.banded;
    lastSegments = segments;
    passSegments.push(...segments);
  }
  // The weak pass's straight edges, found once for whichever straight-edge route asks first.
  let straight: quality.Segment[] | null = null;
  const straightSegments = (): quality.Segment[] => (straight ??= straightEdges(cv, buffers.edges, frame.scale, scope));
  // A weak fallback is mostly the hull of a held card and the thumb over it: the card's four straight
  // edges (one side partly covered) are asked first. The straight edges' other routes (a document running
  // off, one held close) stay after the fallback: on a card running off top and bottom whose fallback had
  // it nearly right (tuning 540161, support 0.47), a strip of table beside it was taken for one seen from a corner.
  const weak = isWeakFallback(fallback);
  if (weak) {
    const held = documentInViewFromStraightEdges(straightSegments(), grayView(buffers.dilated), frame, frameArea, brokenOutlines);
    if (held) return held;
  }
  return (
    acceptFallback(fallback, frame) ??
    documentFromStraightEdges(straightSegments(), buffers, frame, frameArea, lastSegments, passSegments, brokenOutlines, !weak) ??
    (straightSegments().length === 0 ? documentAcrossFrameFromStrongEdges(cv, buffers, frame, frameArea, scope, brokenOutlines) : null) ??
    acceptBanded(banded, frame)
  );
}

/**
 * A document whose four sides cross the frame, a corner or more outside it, from the strong pass's straight
 * edges: asked last (before a banded card), where the weak pass's edge map gave no straight edge at all, mostly
 * because it is a texture at the weak thresholds (`straightEdges`: a weave, a grain), so the straight-edge routes
 * never saw the card's sides. The passes' contours miss such a card when a side shows only as a short piece
 * between two borders (held-out icao 700233: a card running off two borders on a streaked cloth, its bottom side
 * a separate contour with no area). Only quads running off the frame are taken: four strong lines in view were a
 * header band's edge and a held card's sides (held 140020, found right by the held route, taken 24% off).
 */
function documentAcrossFrameFromStrongEdges(cv: OpenCv, buffers: FrameBuffers, frame: SearchFrame, frameArea: number, scope: MatScope, brokenOutlines: quality.Quad[]): quality.Quad | null {
  buffers.detectEdges(CANNY_PASSES[0][0], CANNY_PASSES[0][1]);
  const segments = straightEdges(cv, buffers.edges, frame.scale, scope);
  if (segments.length === 0) return null;
  return documentInViewFromStraightEdges(segments, grayView(buffers.dilated), frame, frameArea, brokenOutlines, { acrossFrameOnly: true });
}

/** Lines tried for quads from the edge map's straight pieces (the work grows with its fourth power). */
const STRAIGHT_EDGE_LINES = 16;

/**
 * The document around `inner` (a small outline: a box printed on it, or a far card) from the contours'
 * pieces and the pass's straight edges along the box's sides (`alongBoxSides`), if it has any: first
 * one running off the frame (`documentRunningOff`), else one in view whose sides are such edges and
 * that holds `inner` (`holdsBox`). The second is a card met along its sides by clutter or a texture,
 * its portrait box the only clean contour (tuning 380005: a card on a weave, 0.27 of the frame's width
 * read for 0.71).
 */
function aroundSmallOutline(cv: OpenCv, buffers: FrameBuffers, frame: SearchFrame, frameArea: number, scope: MatScope, contourSegments: readonly quality.Segment[], inner: quality.Quad, brokenOutlines: quality.Quad[]): quality.Quad | null {
  const segments = alongBoxSides(straightEdges(cv, buffers.edges, frame.scale, scope), inner);
  if (segments.length === 0) return null;
  const map = grayView(buffers.dilated);
  const runningOff = documentRunningOff([...contourSegments, ...segments], frame, frameArea, map, inner);
  if (runningOff) return runningOff;
  const candidates: Candidate[] = [];
  const innerArea = quality.quadArea(inner);
  for (const quad of quality.quadsFromLines(segments, { maxLines: STRAIGHT_EDGE_LINES })) {
    // `inner` must be small beside it, as a box printed on a document is: lines around a far card are the
    // background's (tuning 380245: a card square to a tartan, whose stripes framed it at 0.38 of their area).
    if (innerArea <= MAX_BOX_SHARE * quality.quadArea(quad) && plausible(quad, frameArea) && withinReach(quad, frame.full) && holdsBox(quad, inner, frame) && coarselySupported(map, quad, frame)) candidates.push({ quad, partial: true });
  }
  return candidates.length > 0 ? chooseQuad(candidates, frame, segments, brokenOutlines).quad : null;
}

/** Largest angle (degrees) between a side of a document and the nearest side of a box printed on it: perspective bends them a little. */
const MAX_BOX_SIDE_ANGLE_DEG = 8;

/**
 * The segments that run along a side of `box`, as a document's sides run along those of a box printed
 * on it. A background's lines around a far card (a tartan's stripes, tuning 380074) mostly do not.
 */
function alongBoxSides(segments: readonly quality.Segment[], box: quality.Quad): quality.Segment[] {
  return segments.filter(({ a, b }) => box.some((corner, side) => parallel(a, b, corner, box[(side + 1) % 4]!, MAX_BOX_SIDE_ANGLE_DEG)));
}

/**
 * The document from the weak pass's straight edges (`straightEdges`: `segments`) when neither pass nor
 * the fallback found one: first a document running off the frame from them and the contours' pieces
 * (`documentRunningOff`), else one in view from four of them (`documentInViewFromStraightEdges`, unless
 * `inView` is false: already asked); last, a card held close and seen from one corner (`documentHeldClose`,
 * from these lines and both passes' contour pieces, `passSegments`). Asked only after both passes, so a
 * card the weak pass finds is never pre-empted, and frames with an outline keep theirs.
 */
function documentFromStraightEdges(segments: readonly quality.Segment[], buffers: FrameBuffers, frame: SearchFrame, frameArea: number, contourSegments: readonly quality.Segment[], passSegments: readonly quality.Segment[], brokenOutlines: quality.Quad[], inView: boolean): quality.Quad | null {
  const map = grayView(buffers.dilated);
  if (segments.length > 0) {
    const runningOff = documentRunningOff([...contourSegments, ...segments], frame, frameArea, map, null, { refineLoose: true });
    if (runningOff) return runningOff;
    const quad = inView ? documentInViewFromStraightEdges(segments, map, frame, frameArea, brokenOutlines) : null;
    if (quad) return quad;
  }
  return documentHeldClose([...passSegments, ...segments], frame, frameArea, map);
}

/**
 * Quads of four straight edges (`quality.quadsFromLines`: a card merged with clutter, one larger than the
 * frame with its four sides crossing it, or a held card, one side partly under the thumb), on the coarse
 * edge map, judged by `chooseQuad` like any partial candidate. `map`: the dilated edge map, read after
 * the last OpenCV call. `acrossFrameOnly`: only quads with a corner outside the frame.
 */
function documentInViewFromStraightEdges(segments: readonly quality.Segment[], map: quality.GrayImage, frame: SearchFrame, frameArea: number, brokenOutlines: quality.Quad[], options: { acrossFrameOnly?: boolean } = {}): quality.Quad | null {
  const { width, height } = frame.full;
  const chosen = (minCrossingLines: number): quality.Quad | null => {
    const candidates: Candidate[] = [];
    for (const quad of quality.quadsFromLines(segments, { maxLines: STRAIGHT_EDGE_LINES, minCrossingLines })) {
      if (options.acrossFrameOnly && quality.cornerMarginPx(quad, width, height) >= 0) continue;
      if (plausible(quad, frameArea) && withinReach(quad, frame.full) && coarselySupported(map, quad, frame)) candidates.push({ quad, partial: true });
    }
    return candidates.length > 0 ? chooseQuad(candidates, frame, segments, brokenOutlines).quad : null;
  };
  // The longest lines first; where they make no outline, with lines across them in (`CROSSING_LINES`).
  return chosen(0) ?? chosen(CROSSING_LINES);
}

/** Lines tried for the corner views of a card held close: both passes' contour pieces and the straight edges are many. */
const HELD_CLOSE_LINES = 32;

/**
 * A card held close to the camera, seen from one corner, its two sides in view leaving the frame (often
 * across opposite borders: the part in view is then a pentagon, and the quad closing it has a side inside
 * the card), from the corner views of `segments` (`documentSeenFromCorner`: only the two sides in view
 * are judged, refined, so a contour's rough line only needs to lie near the card's edge here). The last
 * route of the search: before both passes and the other straight-edge routes failed, a corner of the
 * table or of the card's print would pre-empt a whole outline.
 */
function documentHeldClose(segments: readonly quality.Segment[], frame: SearchFrame, frameArea: number, map: quality.GrayImage): quality.Quad | null {
  const reach = 2 * frame.scale + 2;
  const views = quality
    .cornerViewsFromLines(segments, frame.full.width, frame.full.height, { borderReach: reach, maxLines: HELD_CLOSE_LINES })
    .filter(({ quad, corner, exits }) => plausible(quad, frameArea) && exits.every((exit) => quality.edgeMapSegmentSupport(map, corner, exit, frame.scale) >= CORNER_SIDE_COARSE_SUPPORT));
  return documentSeenFromCorner(views, frame);
}

/**
 * Largest share of the frame an outline may cover and still be a box printed on a document running off
 * the frame (a portrait box or field; a card at the far distance limit covers about 0.28 of the frame).
 * A larger outline is taken as the document, and the frame pays nothing more.
 */
const MAX_INNER_OUTLINE_SHARE = 0.3;
/** Shortest part of a side in view, as a fraction of the side, judged alone in a quad closed by the border. */
const RUNNING_OFF_MIN_VISIBLE_SIDE = 0.2;
/** Share of each side in view a border-closed quad needs on the reduced frame's edges: its sides are long straight contour pieces. */
const RUNNING_OFF_COARSE_SUPPORT = 0.7;
/**
 * Share of each side in view on the reduced frame's edges over which a border-closed quad is still refined at full
 * size when none reaches `RUNNING_OFF_COARSE_SUPPORT` and nothing else was found (`refineLoose`). A card's rounded
 * corners put a simplified contour's vertices on their bends, so its pieces' lines run a degree or two off the card's
 * sides and leave the coarse edges along much of them (held-out icao 700240: a page running off the top, its
 * bottom and left sides 0.42 and 0.21 on the edges); refinement re-fits each side on the frame's own pixels.
 */
const RUNNING_OFF_LOOSE_COARSE_SUPPORT = 0.4;
/** Most loosely supported border-closed quads refined, largest first (about 0.35 ms each on the bench's cold frames). */
const MAX_LOOSE_RUNNING_OFF_TRIES = 6;

/**
 * Share of a side in view of a document seen from one corner that must lie on the reduced frame's edges
 * before it is refined: its line, from a contour's rough piece, can run 20 px off the card's edge at the
 * corner (tuning 420144: 0.38 of it on the edges), which refinement mends.
 */
const CORNER_SIDE_COARSE_SUPPORT = 0.3;

/**
 * Whether a search that found `quad` (or nothing) asks for a document running off the frame around it: a small
 * outline may be a box printed on one. One with a card's rounded corners (`hasCardCorners`) is a card, far or
 * small in a wide view: a tartan's stripes around it made a larger quad "holding" it, taken for the document
 * (held-out icao 710057: 102% off, captured).
 */
function mayRunOffAround(quad: quality.Quad | null, frame: SearchFrame, frameArea: number): boolean {
  return !quad || (quality.quadArea(quad) < MAX_INNER_OUTLINE_SHARE * frameArea && !hasCardCorners(quad, frame));
}

/**
 * A document running off one side of the frame, larger than `inner` (what the search found, if
 * anything): quads of three of its sides' lines closed by the frame border (`quality.quadsClosedByBorder`),
 * judged like any partial candidate (`chooseQuad`). Asked only after a small outline or none was found,
 * as such a quad would have been tried before it (candidates are tried largest first). With `refineLoose`
 * (the search's last look, after both passes found nothing), the largest quads whose sides lie on the coarse
 * edges only loosely (`RUNNING_OFF_LOOSE_COARSE_SUPPORT`) are refined and judged too when none lies on them well:
 * asked of every pass, they took a part of a held card found right by the next pass (held 540073, 101% off).
 */
function documentRunningOff(segments: readonly quality.Segment[], frame: SearchFrame, frameArea: number, map: quality.GrayImage, inner: quality.Quad | null, options: { refineLoose?: boolean } = {}): quality.Quad | null {
  const least = inner ? quality.quadArea(inner) : 0;
  // Such a document's side often leaves the frame across a second border near a frame corner: its part
  // in view is short, and is all that can show an edge.
  const search = { ...frame, minVisibleSide: RUNNING_OFF_MIN_VISIBLE_SIDE };
  const cornerSearch = { ...search, maxBorderSides: 2 };
  const candidates: Candidate[] = [];
  const loose: Candidate[] = [];
  for (const quad of quality.quadsClosedByBorder(segments, frame.full.width, frame.full.height, { borderReach: 2 * frame.scale + 2, maxLines: 20 })) {
    if (quality.quadArea(quad) <= least || !plausible(quad, frameArea) || !withinReach(quad, frame.full)) continue;
    const border = borderSides(quad, frame);
    if (quality.edgeMapSupportReaches(map, quad, frame.scale, RUNNING_OFF_COARSE_SUPPORT, 24, border, RUNNING_OFF_MIN_VISIBLE_SIDE)) candidates.push({ quad, partial: true });
    else if (options.refineLoose && quality.edgeMapSupportReaches(map, quad, frame.scale, RUNNING_OFF_LOOSE_COARSE_SUPPORT, 24, border, RUNNING_OFF_MIN_VISIBLE_SIDE)) loose.push({ quad, partial: true });
  }
  const closed = candidates.length > 0 ? chooseQuad(candidates, search, segments).quad : null;
  if (closed) return closed;
  if (loose.length > 0) {
    const largest = loose.sort((p, q) => quality.quadArea(q.quad) - quality.quadArea(p.quad)).slice(0, MAX_LOOSE_RUNNING_OFF_TRIES);
    const refined = chooseQuad(largest, search, segments).quad;
    if (refined) return refined;
  }
  // Seen from one corner: its two sides in view, closed by the frame corner between their exits.
  const views: Candidate[] = [];
  const reach = 2 * frame.scale + 2;
  for (const view of quality.cornerViewsFromLines(segments, frame.full.width, frame.full.height, { borderReach: reach, maxLines: 20 })) {
    const { quad } = view;
    if (quality.quadArea(quad) > least && plausible(quad, frameArea) && quality.sidesOnFrameBorder(quad, frame.full.width, frame.full.height, reach).filter(Boolean).length === 2 && quality.edgeMapSupportReaches(map, quad, frame.scale, RUNNING_OFF_COARSE_SUPPORT, 24, borderSides(quad, cornerSearch), RUNNING_OFF_MIN_VISIBLE_SIDE)) views.push({ quad, partial: true });
  }
  return views.length > 0 ? chooseQuad(views, cornerSearch, segments).quad : null;
}

/** Plausible quads from the contours of an edge map: each contour's convex hull and its own outline, simplified. */
function collectCandidates(cv: OpenCv, edges: Mat, search: SearchFrame, frameArea: number, scope: MatScope, out: Candidate[], segments: quality.Segment[], edgeMap: () => quality.GrayImage): void {
  const { scale } = search;
  const minSegment = shortestPiece(edges.cols, edges.rows) * scale;
  const frame = { width: edges.cols * scale, height: edges.rows * scale };
  const contours = scope.track(new cv.MatVector());
  const hierarchy = scope.mat();
  cv.findContours(edges, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE);
  const minArea = (MIN_AREA_FRACTION * frameArea) / (scale * scale);
  for (let i = 0; i < contours.size(); i++) {
    const contour = scope.track(contours.get(i));
    const box = cv.boundingRect(contour);
    if (box.width * box.height < minArea) continue;
    const hull = scope.mat();
    cv.convexHull(contour, hull);
    const hullArea = cv.contourArea(hull);
    if (hullArea < minArea) continue;
    // An open outline (a document running off the frame shows three sides, no edge along the
    // border) encloses little itself; its hull is the visible part of the document.
    const open = cv.contourArea(contour) < minArea;
    const outlinePoints = polygonPoints(contour, scale, MAX_FIT_POINTS);
    for (const outline of open ? [hull] : [hull, contour]) {
      const approx = scope.mat();
      cv.approxPolyDP(outline, approx, 0.03 * cv.arcLength(outline, true), true);
      const rough = quadFromMat(approx, scale);
      // Both the simplified quad and its re-fitted version: the fit mends corners cut by the
      // simplification, but can also be pulled off by a rounded corner; edge support decides.
      for (const quad of [rough, fitted(rough, outlinePoints, scale)]) {
        if (quad && plausible(quad, frameArea) && withinReach(quad, frame)) out.push({ quad, partial: open });
      }
    }
    // A card merged with clutter is part of a longer outline: every 4 of its simplified corners.
    // Simplified just enough to leave at most MAX_SUBSET_VERTICES corners (clutter adds bumps).
    const detailed = scope.mat();
    const perimeter = cv.arcLength(contour, true);
    let corners: quality.Point[] = [];
    for (const [pass, epsilon] of SUBSET_EPSILONS.entries()) {
      cv.approxPolyDP(contour, detailed, epsilon * perimeter, true);
      corners = polygonPoints(detailed, scale);
      if (pass === 0) collectLongSegments(corners, minSegment, segments);
      if (corners.length <= MAX_SUBSET_VERTICES) break;
    }
    if (corners.length > 4 && corners.length <= MAX_SUBSET_VERTICES) {
      const subsets = quadSubsets(corners);
      const map = edgeMap();
      // A thumb over a corner takes that corner out of the outline (and of every subset): rebuilt
      // from the lines of the two sides meeting under it. A side's line is the outline's edge next to the
      // thumb, which can run along the thumb's own edge a few degrees off the card's (held 140010: the
      // top 12 px off at the covered corner, under half of it on the edges); fitted to the outline's
      // points, it lies on the card's side. Each is judged on the edges as it is.
      for (const rebuilt of quality.quadsWithHiddenCorner(corners)) {
        for (const quad of [rebuilt, fitted(rebuilt, outlinePoints, scale)]) {
          if (quad && coarselySupported(map, quad, search) && plausible(quad, frameArea) && withinReach(quad, frame)) out.push({ quad, partial: true });
        }
      }
      for (const subset of subsets) {
        // Most subsets cut through background: dropped on the coarse edge map before being fitted.
        if (!coarselySupported(map, subset, search)) continue;
        const quad = fitted(subset, outlinePoints, scale);
        if (quad && plausible(quad, frameArea) && withinReach(quad, frame)) out.push({ quad, partial: true });
      }
    }
  }
}

/** Every convex quad whose corners are 4 of the points, in the points' order. */
function quadSubsets(points: readonly quality.Point[]): quality.Quad[] {
  const quads: quality.Quad[] = [];
  const n = points.length;
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++)
      for (let c = b + 1; c < n; c++)
        for (let d = c + 1; d < n; d++) {
          const quad = quality.orderQuad([points[a]!, points[b]!, points[c]!, points[d]!]);
          if (quality.isConvexQuad(quad)) quads.push(quad);
        }
  return quads;
}

/**
 * A rough quad from a simplified outline with its sides re-fitted to the outline's own points: the
 * simplification's vertices can sit a detection pixel or more off the corners, more than refinement
 * at full size searches.
 */
function fitted(quad: quality.Quad | null, outline: readonly quality.Point[], scale: number): quality.Quad | null {
  if (!quad) return null;
  const corners = quality.fitQuadToPoints(quad, outline, 2.5 * scale);
  if (!corners) return null;
  const ordered = quality.orderQuad(corners);
  return quality.isConvexQuad(ordered) ? ordered : null;
}

/** The polygon's edges at least `minLength` long (closing edge included). */
function collectLongSegments(points: readonly quality.Point[], minLength: number, out: quality.Segment[]): void {
  for (let k = 0; k < points.length; k++) {
    const a = points[k]!;
    const b = points[(k + 1) % points.length]!;
    if (Math.hypot(b.x - a.x, b.y - a.y) >= minLength) out.push({ a, b });
  }
}
