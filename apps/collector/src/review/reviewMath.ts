// The statistics of the model review: ROC AUC, L2-regularized logistic regression and a rule's lift with
// its confidence interval. Plain numbers in, plain numbers out: no storage, no clock, no randomness.

/**
 * ROC AUC of `scores` against 0/1 `labels`: the chance that a random positive scores above a random
 * negative, ties counted half (the Mann–Whitney U with mid-ranks). Null without both classes.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i]) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    const value = scores[order[start] as number] as number;
    while (end < n && scores[order[end] as number] === value) end++;
    // Ranks start+1 … end share their mean.
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (labels[order[k] as number]) rankSum += midRank;
    start = end;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** A fitted logistic regression on the caller's (unstandardized) feature scale. */
export interface LogisticFit {
  /** One weight per feature column; 0 for a column that never varies. */
  weights: number[];
  intercept: number;
  iterations: number;
  converged: boolean;
}

/** Options of `fitLogistic`. */
export interface LogisticOptions {
  /** L2 penalty on the standardized weights, against the summed log-loss (default 1). */
  l2?: number;
  /** Newton steps at most (default 50). */
  maxIterations?: number;
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Solves `a · x = b` for a symmetric positive-definite `a` (k×k, row-major) by Cholesky; answers x. */
function solveSpd(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * k + j] as number;
      for (let p = 0; p < j; p++) sum -= (l[i * k + p] as number) * (l[j * k + p] as number);
      if (i === j) l[i * k + i] = Math.sqrt(Math.max(sum, 1e-300));
      else l[i * k + j] = sum / (l[j * k + j] as number);
    }
  }
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let sum = b[i] as number;
    for (let p = 0; p < i; p++) sum -= (l[i * k + p] as number) * (y[p] as number);
    y[i] = sum / (l[i * k + i] as number);
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let p = i + 1; p < k; p++) sum -= (l[p * k + i] as number) * (x[p] as number);
    x[i] = sum / (l[i * k + i] as number);
  }
  return x;
}

/**
 * Fits P(y = 1) = σ(intercept + Σ weights·x) by Newton's method with step halving, minimizing the summed
 * log-loss plus `l2`/2 · ‖w‖² on standardized columns (the intercept is not penalized). `x` holds `n`
 * rows of `d` columns, row-major. Deterministic: same input, same weights.
 */
export function fitLogistic(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  d: number,
  options: LogisticOptions = {},
): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const n = y.length;
  // Standardize each varying column; constant ones get weight 0 and stay out of the solve.
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j] as number;
  for (let j = 0; j < d; j++) mean[j] = n === 0 ? 0 : (mean[j] as number) / n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) sd[j]! += ((x[i * d + j] as number) - (mean[j] as number)) ** 2;
  const active: number[] = [];
  for (let j = 0; j < d; j++) {
    sd[j] = n === 0 ? 0 : Math.sqrt((sd[j] as number) / n);
    if ((sd[j] as number) > 1e-12) active.push(j);
  }
  const m = active.length;
  const z = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < m; a++) {
      const j = active[a] as number;
      z[i * m + a] = ((x[i * d + j] as number) - (mean[j] as number)) / (sd[j] as number);
    }

  // theta = [intercept, w_1 … w_m] on the standardized scale.
  const k = m + 1;
  let theta = new Float64Array(k);
  const eta = (t: Float64Array, i: number): number => {
    let e = t[0] as number;
    for (let a = 0; a < m; a++) e += (t[a + 1] as number) * (z[i * m + a] as number);
    return e;
  };
  const objective = (t: Float64Array): number => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const e = eta(t, i);
      loss += softplus(e) - (y[i] ? e : 0);
    }
    for (let a = 1; a < k; a++) loss += (l2 / 2) * (t[a] as number) ** 2;
    return loss;
  };

  let current = objective(theta);
  let iterations = 0;
  let converged = false;
  const grad = new Float64Array(k);
  const hess = new Float64Array(k * k);
  while (iterations < maxIterations) {
    iterations++;
    grad.fill(0);
    hess.fill(0);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(eta(theta, i));
      const r = p - (y[i] ? 1 : 0);
      const s = p * (1 - p);
      grad[0]! += r;
      hess[0]! += s;
      for (let a = 0; a < m; a++) {
        const za = z[i * m + a] as number;
        grad[a + 1]! += r * za;
        const row = (a + 1) * k;
        hess[row]! += s * za;
        for (let b = 0; b <= a; b++) hess[row + b + 1]! += s * za * (z[i * m + b] as number);
      }
    }
    for (let a = 1; a < k; a++) {
      grad[a]! += l2 * (theta[a] as number);
      hess[a * k + a]! += l2;
      for (let b = 0; b < a; b++) hess[b * k + a] = hess[a * k + b] as number;
    }
    hess[0]! += 1e-9;
    const step = solveSpd(hess, grad, k);
    let scale = 1;
    let next = theta;
    let value = current;
    for (let halvings = 0; halvings < 30; halvings++) {
      next = theta.map((t, a) => t - scale * (step[a] as number));
      value = objective(next);
      if (value <= current + 1e-12 * Math.abs(current)) break;
      scale /= 2;
    }
    const change = Math.max(...step.map((s) => Math.abs(s * scale)));
    theta = next;
    current = value;
    if (change < 1e-9) {
      converged = true;
      break;
    }
  }

  const weights = new Array<number>(d).fill(0);
  let intercept = theta[0] as number;
  for (let a = 0; a < m; a++) {
    const j = active[a] as number;
    const w = (theta[a + 1] as number) / (sd[j] as number);
    weights[j] = w;
    intercept -= w * (mean[j] as number);
  }
  return { weights, intercept, iterations, converged };
}

/** How much more often contacts a rule fired for reached the outcome than the others. */
export interface Lift {
  rateWith: number | null;
  rateWithout: number | null;
  /** rateWith ÷ rateWithout; null when either is unknown or rateWithout is 0. */
  lift: number | null;
  /** 95 % interval of the lift (Katz log method, 0.5 added to every cell when one is 0). */
  interval: [number, number] | null;
  /** Some cell (positives or negatives, with or without) holds fewer than 5 contacts. */
  lowConfidence: boolean;
}

/** Smallest cell count below which a lift is flagged `lowConfidence`. */
export const MIN_CELL = 5;

/**
 * The lift of a rule from a 2×2 table: `positivesWith` of `withCount` contacts it fired for reached the
 * outcome, `positivesWithout` of the `withoutCount` others did.
 */
export function liftOf(
  positivesWith: number,
  withCount: number,
  positivesWithout: number,
  withoutCount: number,
  z = 1.959964,
): Lift {
  const rateWith = withCount === 0 ? null : positivesWith / withCount;
  const rateWithout = withoutCount === 0 ? null : positivesWithout / withoutCount;
  const lift = rateWith === null || rateWithout === null || rateWithout === 0 ? null : rateWith / rateWithout;
  const cells = [positivesWith, withCount - positivesWith, positivesWithout, withoutCount - positivesWithout];
  const lowConfidence = Math.min(...cells) < MIN_CELL;
  let interval: [number, number] | null = null;
  if (withCount > 0 && withoutCount > 0) {
    const half = cells.some((c) => c === 0) ? 0.5 : 0;
    const a = positivesWith + half;
    const n1 = withCount + 2 * half;
    const c = positivesWithout + half;
    const n2 = withoutCount + 2 * half;
    const logLift = Math.log(a / n1 / (c / n2));
    const se = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2);
    interval = [Math.exp(logLift - z * se), Math.exp(logLift + z * se)];
  }
  return { rateWith, rateWithout, lift, interval, lowConfidence };
}
