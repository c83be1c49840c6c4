import {
  componentScales,
  formatNumber,
  type HealthComponentName,
  type InputScale,
  type ScaleContext,
} from './health-score-scales.js';
import type { MetricValue } from './metric-definition.js';
import type { RepositoryFacts } from './repository-facts.js';

/**
 * Bumped whenever a weight or scale (`health-score-scales.ts`) or a rule here changes, so a stored score
 * says which rules made it.
 */
export const healthScoreVersion = 1;

export type { HealthComponentName };

export interface HealthInput {
  metric: string;
  value: number | null;
  score: number | null;
}

export interface HealthComponent {
  name: HealthComponentName;
  /** docs/METRICS.md's weight; when components are left out the others' weights are renormalised. */
  weight: number;
  score: number | null;
  inputs: HealthInput[];
  /** The score in words: each input's value and where it stands between its 0 and 100 ends. */
  reason: string;
}

export interface HealthScore {
  score: number | null;
  components: HealthComponent[];
  /** True when some components were left out and the weights of the others renormalised. */
  renormalised: boolean;
  note?: string;
}

/**
 * 0 at `zeroAt`, 100 at `fullAt`, linear between and flat beyond; either end may be the larger. Ends
 * that meet (a growth target of 0 for a repository of 0 stars) leave only "above the 0 end or not".
 */
function linear(value: number, zeroAt: number, fullAt: number): number {
  if (fullAt === zeroAt) return value > zeroAt ? 100 : 0;
  return 100 * Math.min(1, Math.max(0, (value - zeroAt) / (fullAt - zeroAt)));
}

const oneDecimal = (value: number): number => Math.round(value * 10) / 10;

interface ScoredInput {
  input: HealthInput;
  /** Unrounded: components and the score are computed from these, and rounded only when shown. */
  score: number | null;
  words: string;
}

function scoreInput(scale: InputScale, context: ScaleContext): ScoredInput {
  const metric = context.metrics[scale.metric];
  const value = metric?.value ?? null;
  if (value === null) {
    const fallback = scale.scoreUnknown?.(metric?.reason, context) ?? null;
    const reason = metric?.reason ?? 'not computed';
    return {
      input: { metric: scale.metric, value: null, score: fallback?.score ?? null },
      score: fallback?.score ?? null,
      words: fallback?.words ?? `${scale.label} unknown (${reason})`,
    };
  }
  const fullAt = scale.fullAt(context);
  const score = linear(value, scale.zeroAt, fullAt);
  const rising = fullAt >= scale.zeroAt;
  const full = scale.fullWords?.(context) ?? `${rising ? '≥' : '≤'} ${formatNumber(fullAt)}`;
  const zero = scale.zeroWords ?? `${rising ? '≤' : '≥'} ${formatNumber(scale.zeroAt)}`;
  const where =
    score >= 100
      ? full
      : score <= 0
        ? `${zero}: 0`
        : `${Math.round(score)} of 100: 0 at ${formatNumber(scale.zeroAt)}, 100 at ${full}`;
  return {
    input: { metric: scale.metric, value, score: oneDecimal(score) },
    score,
    words: `${scale.describe(value)} (${where})`,
  };
}

const inWords = (parts: readonly string[]): string =>
  parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;

function scoreComponent(
  scales: (typeof componentScales)[number],
  context: ScaleContext,
): { component: HealthComponent; score: number | null } {
  const inputs = scales.inputs.map((scale) => scoreInput(scale, context));
  const known = inputs.flatMap(({ score }) => (score === null ? [] : [score]));
  const mean = known.length === 0 ? null : known.reduce((sum, score) => sum + score, 0) / known.length;
  const words = inWords(inputs.map(({ words }) => words));
  // Archived is the repository's state now (no archiving date is kept), so it holds for past points too.
  const archived = scales.zeroWhenArchived && context.facts.repository.archived;
  const score = archived ? 0 : mean;
  const reason = archived
    ? `the repository is archived, which scores 0 whatever the inputs: ${words}`
    : mean === null
      ? `left out, no input known: ${words}`
      : words;
  const component: HealthComponent = {
    name: scales.name,
    weight: scales.weight,
    score: score === null ? null : oneDecimal(score),
    inputs: inputs.map(({ input }) => input),
    reason,
  };
  return { component, score };
}

/**
 * docs/METRICS.md's health score: the weighted mean of the five components, each the mean of its inputs'
 * scores. Components with no known input are left out and the other weights renormalised (so a plain git
 * repository is scored on activity and community alone), and the note says which were left out.
 */
export function computeHealth(
  metrics: Record<string, MetricValue>,
  facts: RepositoryFacts,
  now: number,
): HealthScore {
  const context: ScaleContext = { metrics, facts, now };
  const scored = componentScales.map((scales) => scoreComponent(scales, context));
  const included = scored.filter(({ score }) => score !== null);
  const leftOut = scored.filter(({ score }) => score === null).map(({ component }) => component.name);
  const components = scored.map(({ component }) => component);
  if (included.length === 0)
    return {
      score: null,
      components,
      renormalised: false,
      note: 'No component has a known input: no score.',
    };
  const weights = included.reduce((sum, { component }) => sum + component.weight, 0);
  const weighted = included.reduce((sum, { component, score }) => sum + component.weight * score!, 0);
  const health: HealthScore = {
    score: oneDecimal(weighted / weights),
    components,
    renormalised: leftOut.length > 0,
  };
  if (leftOut.length > 0)
    health.note =
      `Left out for want of data: ${inWords(leftOut)}. The score is the weighted mean of the others, ` +
      `their weights (${weights} of 100) renormalised to 100.`;
  return health;
}
