/** Rows of the distance table, reused between calls (terms are short; grown when needed). */
let previous = new Int32Array(64);
let current = new Int32Array(64);

/**
 * Levenshtein distance that gives up early: returns `max + 1` as soon as the distance is known
 * to exceed `max`, which keeps a scan of the whole vocabulary for typo corrections fast.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
	const lengthA = a.length;
	const lengthB = b.length;
	if (Math.abs(lengthA - lengthB) > max) return max + 1;
	if (a === b) return 0;
	if (lengthB + 1 > previous.length) {
		previous = new Int32Array(lengthB + 1);
		current = new Int32Array(lengthB + 1);
	}
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
		for (let j = from; j <= to; j++) {
			const substitution = prev[j - 1] + (charA === b.charCodeAt(j - 1) ? 0 : 1);
			const deletion = prev[j] + 1;
			const insertion = cur[j - 1] + 1;
			const value =
				substitution < deletion
					? substitution < insertion
						? substitution
						: insertion
					: deletion < insertion
						? deletion
						: insertion;
			cur[j] = value;
			if (value < rowMin) rowMin = value;
		}
		if (to < lengthB) cur[to + 1] = beyond;
		if (rowMin > max) return beyond;
		const swap = prev;
		prev = cur;
		cur = swap;
	}
	return Math.min(prev[lengthB], beyond);
}

/** Levenshtein distance, unbounded (a distance never exceeds the longer string's length). */
export function editDistance(a: string, b: string): number {
	return boundedEditDistance(a, b, Math.max(a.length, b.length));
}
