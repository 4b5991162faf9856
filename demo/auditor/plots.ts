/**
 * The liveness signal series as SVG plots (drawn here: a few polylines need no chart library):
 * one plot per judged signal, the challenge prompts as shaded windows from activation to the end
 * of the attempt, labelled with the challenge and its outcome, the baseline, and each challenge's
 * `enter` threshold in the signal's own units (docs/liveness.md: ratio or difference from the baseline).
 */
import type { liveness } from '@ekyc/core';
import { svg } from './dom.ts';

type Transcript = liveness.LivenessTranscript;
type SignalName = 'eyeOpenness' | 'smile' | 'yaw';

const PLOTS: readonly { signal: SignalName | 'pitch'; label: string; unit: string }[] = [
  { signal: 'eyeOpenness', label: 'Eye openness (more open eye)', unit: 'ratio' },
  { signal: 'smile', label: 'Smile', unit: '' },
  { signal: 'yaw', label: 'Yaw', unit: '°' },
  { signal: 'pitch', label: 'Pitch', unit: '°' },
];

function series(transcript: Transcript, signal: SignalName | 'pitch'): (number | null)[] {
  const { signals } = transcript.frames;
  if (signal === 'eyeOpenness') return signals.eyeL.map((left, i) => (left === null || signals.eyeR[i] === null ? null : Math.max(left, signals.eyeR[i]!)));
  return [...signals[signal]];
}

function baselineOf(transcript: Transcript, signal: SignalName | 'pitch'): number | null {
  const base = transcript.baseline;
  if (base === null) return null;
  return signal === 'eyeOpenness' ? base.eyeOpenness : base[signal];
}

/** A challenge's enter threshold in signal units, given the baseline. */
export function enterLevel(definition: liveness.ChallengeDefinition, base: number): number {
  return definition.scale === 'ratio' ? base * (1 + definition.direction * definition.enter) : base + definition.direction * definition.enter;
}

export function signalPlots(transcript: Transcript): SVGSVGElement[] {
  const t = transcript.frames.t;
  if (t.length === 0) return [];
  const t0 = t[0]!;
  const t1 = Math.max(t[t.length - 1]!, t0 + 1);
  const width = 720;
  const height = 150;
  const pad = { left: 48, right: 8, top: 18, bottom: 20 };
  const x = (time: number): number => pad.left + ((time - t0) / (t1 - t0)) * (width - pad.left - pad.right);

  return PLOTS.map(({ signal, label, unit }) => {
    const values = series(transcript, signal);
    const base = baselineOf(transcript, signal);
    const definitions = Object.values(transcript.config.challenges).filter((definition) => definition.signal === signal && transcript.sequence.order.includes(definition.kind));
    const levels = base === null ? [] : definitions.map((definition) => ({ kind: definition.kind, level: enterLevel(definition, base) }));
    const finite = [...values.filter((v): v is number => v !== null), ...levels.map((l) => l.level), ...(base === null ? [] : [base])];
    let lo = Math.min(...finite);
    let hi = Math.max(...finite);
    if (!(hi > lo)) { lo -= 1; hi += 1; }
    const y = (value: number): number => pad.top + (1 - (value - lo) / (hi - lo)) * (height - pad.top - pad.bottom);

    const plot = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'plot', role: 'img', 'aria-label': `${label} over the liveness session`, 'data-signal': signal });
    plot.append(svg('title', {}, `${label} over the liveness session`));
    for (const attempt of transcript.attempts) {
      const end = attempt.endedAt ?? attempt.passedAt ?? t1;
      const definition = transcript.config.challenges[attempt.kind];
      const relevant = definition.signal === signal;
      plot.append(svg('rect', { x: x(attempt.activatedAt), y: pad.top, width: Math.max(1, x(end) - x(attempt.activatedAt)), height: height - pad.top - pad.bottom, class: `window ${attempt.state}${relevant ? ' relevant' : ''}` }));
      if (relevant) plot.append(svg('text', { x: x(attempt.activatedAt) + 3, y: pad.top - 5, class: 'prompt' }, `${attempt.kind} #${attempt.attempt + 1}: ${attempt.state}`));
      if (relevant && attempt.passedAt !== null) plot.append(svg('line', { x1: x(attempt.passedAt), x2: x(attempt.passedAt), y1: pad.top, y2: height - pad.bottom, class: 'passed-at' }));
    }
    if (base !== null) plot.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(base), y2: y(base), class: 'baseline' }));
    for (const { kind, level } of levels) {
      plot.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(level), y2: y(level), class: 'threshold' }));
      plot.append(svg('text', { x: width - pad.right - 4, y: y(level) - 3, class: 'threshold-label', 'text-anchor': 'end' }, `${kind} enter ${level.toFixed(signal === 'yaw' ? 1 : 3)}${unit === '°' ? '°' : ''}`));
    }
    let path = '';
    values.forEach((value, index) => {
      if (value === null) return;
      path += `${path === '' || values[index - 1] === null ? 'M' : 'L'}${x(t[index]!).toFixed(1)},${y(value).toFixed(1)}`;
    });
    plot.append(svg('path', { d: path, class: 'series' }));
    plot.append(svg('text', { x: 4, y: pad.top + 10, class: 'axis' }, hi.toFixed(2)));
    plot.append(svg('text', { x: 4, y: height - pad.bottom, class: 'axis' }, lo.toFixed(2)));
    plot.append(svg('text', { x: pad.left, y: height - 4, class: 'axis' }, `${label}${unit && unit !== 'ratio' ? ` (${unit})` : ''} · ${((t1 - t0) / 1000).toFixed(1)} s`));
    return plot;
  });
}
