/**
 * Levenshtein distance that gives up early: returns `max + 1` as soon as the distance is known
 * to exceed `max`, which keeps a scan of the whole vocabulary for typo corrections fast.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	if (a === b) return 0;
	let previous = new Array<number>(b.length + 1);
	let current = new Array<number>(b.length + 1);
	for (let j = 0; j <= b.length; j++) previous[j] = j;
	for (let i = 1; i <= a.length; i++) {
		current[0] = i;
		let rowMin = i;
		const from = Math.max(1, i - max);
		const to = Math.min(b.length, i + max);
		if (from > 1) current[from - 1] = max + 1;
		for (let j = from; j <= to; j++) {
			const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
			const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
			current[j] = value;
			if (value < rowMin) rowMin = value;
		}
		if (to < b.length) current[to + 1] = max + 1;
		if (rowMin > max) return max + 1;
		[previous, current] = [current, previous];
	}
	return Math.min(previous[b.length], max + 1);
}
