/**
 * The largest eigenpairs of a symmetric positive semi-definite operator known only by its
 * product with a vector (the paper map's centred Gram matrix), by the Lanczos method with full
 * reorthogonalisation. Power iteration needs thousands of products when the leading eigenvalues
 * are close (it stopped at its cap of 500 per component on 1,000 generated papers, unconverged);
 * Lanczos gets both leading pairs to a residual of 1e-9 of the largest in a few dozen.
 *
 * Relative imports only: the ingest (tsx) calls it.
 */

/** An eigenvalue and its unit eigenvector. */
export interface Eigenpair {
	value: number;
	vector: Float64Array;
}

/** Lanczos steps between two convergence checks (each check solves the small tridiagonal problem). */
const CHECK_EVERY = 8;

/**
 * The `count` largest eigenpairs of the n × n operator `apply`, starting from `start`
 * (deterministic: the same operator and start give the same result). Stops when each pair's
 * residual ‖A·v − λ·v‖ is under `tolerance` × the largest eigenvalue, or after `maxSteps`
 * products. Pairs of an operator of lower rank than `count` come back with value 0 and a zero
 * vector.
 */
export function largestEigenpairs(
	apply: (vector: Float64Array) => Float64Array,
	start: Float64Array,
	count: number,
	{ tolerance = 1e-9, maxSteps = 300 }: { tolerance?: number; maxSteps?: number } = {}
): Eigenpair[] {
	const n = start.length;
	const basis: Float64Array[] = [];
	const alpha: number[] = [];
	const beta: number[] = [];
	let current = scaled(start, 1 / norm(start));
	const steps = Math.min(n, maxSteps);
	let ritz: { values: number[]; vectors: number[][] } = { values: [], vectors: [] };
	let scale = 0;

	for (let step = 0; step < steps; step++) {
		basis.push(current);
		const next = apply(current);
		alpha.push(dot(current, next));
		// Full reorthogonalisation, twice: at this size it is cheap, and without it the basis
		// loses orthogonality and the leading eigenvalue comes back as ghost copies.
		for (let pass = 0; pass < 2; pass++) {
			for (const q of basis) subtractProjection(next, q);
		}
		const length = norm(next);
		scale = Math.max(scale, Math.abs(alpha[step]), length);
		const done = step === steps - 1 || length <= 1e-12 * scale;
		if (done || (step + 1) % CHECK_EVERY === 0) {
			ritz = symmetricTridiagonalEigen(alpha, beta);
			const largest = Math.max(ritz.values[0], 0);
			// The residual of a Ritz pair is the next off-diagonal times its vector's last entry.
			const converged = ritz.values
				.slice(0, count)
				.every((_, k) => length * Math.abs(ritz.vectors[k][step]) <= tolerance * largest);
			if (done || (converged && ritz.values.length >= count)) break;
		}
		beta.push(length);
		current = scaled(next, 1 / length);
	}

	return Array.from({ length: count }, (_, k): Eigenpair => {
		const value = ritz.values[k] ?? 0;
		const vector = new Float64Array(n);
		if (value <= 1e-12) return { value: 0, vector };
		ritz.vectors[k].forEach((weight, j) => {
			const q = basis[j];
			for (let i = 0; i < n; i++) vector[i] += weight * q[i];
		});
		return { value, vector: scaled(vector, 1 / norm(vector)) };
	});
}

function dot(a: Float64Array, b: Float64Array): number {
	let sum = 0;
	for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
	return sum;
}

function norm(a: Float64Array): number {
	return Math.sqrt(dot(a, a));
}

function scaled(a: Float64Array, factor: number): Float64Array {
	return a.map((value) => value * factor);
}

/** Removes from `a` its component along the unit vector `q`. */
function subtractProjection(a: Float64Array, q: Float64Array): void {
	const projection = dot(a, q);
	for (let i = 0; i < a.length; i++) a[i] -= projection * q[i];
}

/**
 * Eigenvalues (largest first) and eigenvectors of the symmetric tridiagonal matrix with
 * `diagonal` and `offDiagonal`, by cyclic Jacobi rotations: the matrix is at most `maxSteps`
 * wide, so the simple method is fast enough and plainly correct.
 */
export function symmetricTridiagonalEigen(
	diagonal: number[],
	offDiagonal: number[]
): { values: number[]; vectors: number[][] } {
	const m = diagonal.length;
	const a = Array.from({ length: m }, (_, i) =>
		Array.from({ length: m }, (_, j) =>
			i === j ? diagonal[i] : Math.abs(i - j) === 1 ? offDiagonal[Math.min(i, j)] : 0
		)
	);
	// Columns of v are the eigenvectors: v starts as the identity and collects every rotation.
	const v = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => +(i === j)));
	for (let sweep = 0; sweep < 100; sweep++) {
		let off = 0;
		let scale = 0;
		for (let i = 0; i < m; i++) {
			scale += a[i][i] * a[i][i];
			for (let j = i + 1; j < m; j++) off += a[i][j] * a[i][j];
		}
		if (off <= 1e-30 * Math.max(scale, 1e-300)) break;
		for (let p = 0; p < m; p++) {
			for (let q = p + 1; q < m; q++) {
				if (a[p][q] === 0) continue;
				const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
				const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
				const c = 1 / Math.sqrt(t * t + 1);
				const s = t * c;
				for (let k = 0; k < m; k++) {
					const akp = a[k][p];
					const akq = a[k][q];
					a[k][p] = c * akp - s * akq;
					a[k][q] = s * akp + c * akq;
				}
				for (let k = 0; k < m; k++) {
					const apk = a[p][k];
					const aqk = a[q][k];
					a[p][k] = c * apk - s * aqk;
					a[q][k] = s * apk + c * aqk;
				}
				for (let k = 0; k < m; k++) {
					const vkp = v[k][p];
					const vkq = v[k][q];
					v[k][p] = c * vkp - s * vkq;
					v[k][q] = s * vkp + c * vkq;
				}
			}
		}
	}
	const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => a[j][j] - a[i][i]);
	return {
		values: order.map((i) => a[i][i]),
		vectors: order.map((i) => v.map((row) => row[i]))
	};
}
