// Upper tail of the standard normal, Q(z) = P(Z > z). Numerical Recipes' erfc (relative error
// below 1.2e-7 everywhere), which keeps its precision far into the tail where the detector's
// alert threshold (1e-5) sits; the common Abramowitz–Stegun 7.1.26 form does not.

export function normalTail(z: number): number {
  return 0.5 * complementaryErf(z / Math.SQRT2);
}

function complementaryErf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}
