import { describe, expect, it } from 'vitest';
import { arxivProblem, doiProblem, orcidProblem } from '../../src/lib/corpus/index.ts';

describe('identifier checks', () => {
	it('accepts arXiv ids of every era and refuses the wrong digit count for the month', () => {
		for (const id of [
			'1412.6980',
			'1501.00001',
			'2507.21794v1',
			'math.GT/0309136',
			'cs/9901001v2'
		]) {
			expect(arxivProblem(id), id).toBeNull();
		}
		expect(arxivProblem('1412.06980')).toMatch(/should have 4 digits/);
		expect(arxivProblem('1501.0001')).toMatch(/should have 5 digits/);
		expect(arxivProblem('math/0513001')).toMatch(/no valid month/);
		expect(arxivProblem('not an id')).toMatch(/is not an arXiv id/);
	});

	it('checks the ORCID checksum, including the X check character', () => {
		expect(orcidProblem('0000-0002-1694-233X')).toBeNull();
		expect(orcidProblem('0000-0002-1694-2339')).toMatch(/should be X/);
		expect(orcidProblem('0000-0002-1825-0097')).toBeNull();
		expect(orcidProblem('0000-0002-1825-0079')).toMatch(/checksum/);
	});

	it('accepts bare DOIs only', () => {
		expect(doiProblem('10.59275/j.melba.2024-4862')).toBeNull();
		expect(doiProblem('doi:10.1007/978-3-030-33850-3_1')).toMatch(/bare DOI/);
		expect(doiProblem('10.1007/')).toMatch(/is not a DOI/);
		expect(doiProblem('10.1007/has space')).toMatch(/is not a DOI/);
	});
});
