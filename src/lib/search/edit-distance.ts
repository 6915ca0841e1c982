/** Rows of the distance table, reused between calls (terms are short; grown when needed). */
let beforePrevious = new Int32Array(64);
let previous = new Int32Array(64);
let current = new Int32Array(64);

/**
 * Edit distance counting a swap of two neighbouring letters as one edit, like a letter added,
 * dropped or replaced (optimal string alignment): "concpet" is one typo from "concept", the
 * commonest slip at a keyboard, where Levenshtein counts two. Gives up early: returns `max + 1`
 * as soon as the distance is known to exceed `max`, which keeps a scan of the whole vocabulary
 * for typo corrections fast.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
	const lengthA = a.length;
	const lengthB = b.length;
	if (Math.abs(lengthA - lengthB) > max) return max + 1;
	if (a === b) return 0;
	if (max === 1) return oneEditApart(a, b) ? 1 : 2;
	if (lengthB + 1 > previous.length) {
		beforePrevious = new Int32Array(lengthB + 1);
		previous = new Int32Array(lengthB + 1);
		current = new Int32Array(lengthB + 1);
	}
	let prevPrev = beforePrevious;
	let prev = previous;
	let cur = current;
	for (let j = 0; j <= lengthB; j++) prev[j] = j;
	const beyond = max + 1;
	for (let i = 1; i <= lengthA; i++) {
		// Only a band of width 2·max around the diagonal can stay within `max`.
		const from = Math.max(1, i - max);
		const to = Math.min(lengthB, i + max);
		cur[0] = i;
		if (from > 1) cur[from - 1] = beyond;
		let rowMin = from > 1 ? beyond : i;
		const charA = a.charCodeAt(i - 1);
		const charBeforeA = i > 1 ? a.charCodeAt(i - 2) : -1;
		for (let j = from; j <= to; j++) {
			const charB = b.charCodeAt(j - 1);
			const substitution = prev[j - 1] + (charA === charB ? 0 : 1);
			const deletion = prev[j] + 1;
			const insertion = cur[j - 1] + 1;
			let value =
				substitution < deletion
					? substitution < insertion
						? substitution
						: insertion
					: deletion < insertion
						? deletion
						: insertion;
			// Row i - 2 was filled on the same band shifted by two, so the cell read is never stale.
			if (
				j > 1 &&
				charA !== charB &&
				charA === b.charCodeAt(j - 2) &&
				charBeforeA === charB &&
				prevPrev[j - 2] + 1 < value
			)
				value = prevPrev[j - 2] + 1;
			cur[j] = value;
			if (value < rowMin) rowMin = value;
		}
		if (to < lengthB) cur[to + 1] = beyond;
		// A swap reaches back two rows, but only for one more edit than row i - 1 already has.
		if (rowMin > max) return beyond;
		const oldest = prevPrev;
		prevPrev = prev;
		prev = cur;
		cur = oldest;
	}
	return Math.min(prev[lengthB], beyond);
}

/**
 * Whether `a` and `b` (different, lengths at most one apart) are one edit apart: the typo scans
 * of words up to 7 letters ask only this, and one pass after the common start answers it
 * without the table.
 */
function oneEditApart(a: string, b: string): boolean {
	let i = 0;
	while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
	if (a.length > b.length) return sameFrom(a, i + 1, b, i);
	if (b.length > a.length) return sameFrom(a, i, b, i + 1);
	if (sameFrom(a, i + 1, b, i + 1)) return true;
	return (
		i + 1 < a.length &&
		a.charCodeAt(i) === b.charCodeAt(i + 1) &&
		a.charCodeAt(i + 1) === b.charCodeAt(i) &&
		sameFrom(a, i + 2, b, i + 2)
	);
}

/** Whether `a` from `fromA` on equals `b` from `fromB` on. */
function sameFrom(a: string, fromA: number, b: string, fromB: number): boolean {
	if (a.length - fromA !== b.length - fromB) return false;
	for (let k = 0; fromA + k < a.length; k++) {
		if (a.charCodeAt(fromA + k) !== b.charCodeAt(fromB + k)) return false;
	}
	return true;
}

/** The same distance, unbounded (a distance never exceeds the longer string's length). */
export function editDistance(a: string, b: string): number {
	return boundedEditDistance(a, b, Math.max(a.length, b.length));
}

/** `term` with two neighbouring, different letters swapped, each way: the typos one swap makes. */
export function adjacentSwaps(term: string): string[] {
	const swaps: string[] = [];
	for (let i = 0; i + 1 < term.length; i++) {
		if (term[i] === term[i + 1]) continue;
		swaps.push(term.slice(0, i) + term[i + 1] + term[i] + term.slice(i + 2));
	}
	return swaps;
}
