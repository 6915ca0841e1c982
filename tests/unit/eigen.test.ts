import { describe, expect, it } from 'vitest';
import { symmetricTridiagonalEigen } from '../../src/lib/corpus/eigen.ts';

describe('symmetricTridiagonalEigen', () => {
	it('finds every eigenpair of the second-difference matrix, whose eigenpairs are known in closed form', () => {
		// tridiag(-1, 2, -1) of size m: λ_k = 2 − 2cos(kπ/(m+1)), v_k(j) ∝ sin(jkπ/(m+1)).
		const m = 40;
		const { values, vectors } = symmetricTridiagonalEigen(
			Array.from({ length: m }, () => 2),
			Array.from({ length: m - 1 }, () => -1)
		);
		const expected = Array.from(
			{ length: m },
			(_, k) => 2 - 2 * Math.cos(((m - k) * Math.PI) / (m + 1))
		);
		values.forEach((value, k) => expect(value).toBeCloseTo(expected[k], 12));
		vectors.forEach((vector, k) => {
			const exact = Array.from({ length: m }, (_, j) =>
				Math.sin(((j + 1) * (m - k) * Math.PI) / (m + 1))
			);
			const norm = Math.hypot(...exact);
			const sign = Math.sign(vector[0]) * Math.sign(exact[0]);
			vector.forEach((entry, j) => expect(entry).toBeCloseTo((sign * exact[j]) / norm, 10));
		});
	});

	it('keeps the blocks of a matrix that splits apart, and handles one row', () => {
		const { values, vectors } = symmetricTridiagonalEigen([3, 1, 5, 5], [0, 0, 2]);
		expect(values.map((v) => Math.round(v * 1e12) / 1e12)).toEqual([7, 3, 3, 1]);
		expect(vectors[0].map((v) => Math.abs(v))).toEqual(
			[0, 0, Math.SQRT1_2, Math.SQRT1_2].map((v) => expect.closeTo(v, 12))
		);
		expect(symmetricTridiagonalEigen([4], [])).toEqual({ values: [4], vectors: [[1]] });
	});
});
