/**
 * Checks for the identifiers a paper record may carry (DOI, arXiv id, ORCID). Each check returns
 * null when the value is fine, else a short sentence saying what is wrong, for validation messages.
 */

import { editDistance } from '../search/edit-distance.ts';

const DOI = /^10\.\d{4,9}\/\S+$/;

/** Says what is wrong with a DOI, or null when it has the bare `10.<registrant>/<suffix>` form. */
export function doiProblem(doi: string): string | null {
	if (DOI.test(doi)) return null;
	const bare = doi.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '');
	if (bare !== doi && DOI.test(bare)) return `write the bare DOI "${bare}", without the prefix`;
	return `"${doi}" is not a DOI (expected 10.<4-9 digits>/<suffix>, e.g. 10.1007/978-3-030-02628-8_14)`;
}

const ARXIV_NEW = /^(\d{2})(\d{2})\.(\d{4,5})(?:v\d+)?$/;
const ARXIV_OLD = /^[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?\/(\d{2})(\d{2})\d{3}(?:v\d+)?$/;

/**
 * Says what is wrong with an arXiv id, or null for a new-style id (`2301.01234`, `0704.0001v2`)
 * or an old-style one (`math/0501001`, `math.GT/0309136`).
 */
export function arxivProblem(id: string): string | null {
	const expected = 'expected e.g. 2301.01234, 2301.01234v2 or math/0501001';
	const newStyle = ARXIV_NEW.exec(id);
	if (newStyle) {
		const [, yy, mm, number] = newStyle;
		if (!validMonth(mm)) return `"${id}" has no valid month (${mm}); ${expected}`;
		// Numbers grew from four to five digits in January 2015 (id 1501.00001).
		const digits = Number(yy + mm) >= 1501 ? 5 : 4;
		if (number.length !== digits)
			return `"${id}" should have ${digits} digits after the dot for ${yy}${mm}; ${expected}`;
		return null;
	}
	const oldStyle = ARXIV_OLD.exec(id);
	if (oldStyle) {
		return validMonth(oldStyle[2]) ? null : `"${id}" has no valid month; ${expected}`;
	}
	const bare = id.replace(/^(?:arxiv:\s*|https?:\/\/arxiv\.org\/(?:abs|pdf)\/)/i, '');
	if (bare !== id && arxivProblem(bare) === null) return `write the bare id "${bare}"`;
	return `"${id}" is not an arXiv id; ${expected}`;
}

function validMonth(mm: string): boolean {
	const month = Number(mm);
	return month >= 1 && month <= 12;
}

const ORCID = /^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/;

/** The ORCID check character (ISO 7064 MOD 11-2) of the first 15 digits. */
function orcidCheckCharacter(first15Digits: string): string {
	let total = 0;
	for (const digit of first15Digits) total = (total + Number(digit)) * 2;
	const result = (12 - (total % 11)) % 11;
	return result === 10 ? 'X' : String(result);
}

/** Says what is wrong with an ORCID iD (format `0000-0002-1825-0097`, checksum), or null. */
export function orcidProblem(orcid: string): string | null {
	const bare = orcid.replace(/^https?:\/\/orcid\.org\//i, '');
	if (!ORCID.test(bare)) {
		return `"${orcid}" is not an ORCID iD (expected 0000-0000-0000-000X: four groups of four)`;
	}
	const digits = bare.replace(/-/g, '');
	const expected = orcidCheckCharacter(digits.slice(0, 15));
	if (digits[15] !== expected) {
		return `"${orcid}" fails the ORCID checksum (last character should be ${expected}): mistyped?`;
	}
	return null;
}

/** The bare ORCID iD (`https://orcid.org/` prefix removed). */
export function bareOrcid(orcid: string): string {
	return orcid.replace(/^https?:\/\/orcid\.org\//i, '');
}

/** The known key closest to an unknown one, when it is close enough to be a likely typo. */
export function nearestKey(unknown: string, known: readonly string[]): string | null {
	const folded = unknown.toLowerCase().replace(/[\s-]/g, '_');
	let best: string | null = null;
	let bestDistance = Infinity;
	for (const key of known) {
		const distance = editDistance(folded, key);
		if (distance < bestDistance) {
			best = key;
			bestDistance = distance;
		}
	}
	const tolerance = Math.max(2, Math.floor(unknown.length / 3));
	return bestDistance <= tolerance ? best : null;
}
