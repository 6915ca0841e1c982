/**
 * The first `count` items of `items` in the order of `compare`, sorted; a bounded heap when that
 * is far fewer than all of them (a common word matches every paper, a page shows twenty).
 */
export function firstInOrder<T>(items: T[], count: number, compare: (a: T, b: T) => number): T[] {
	if (items.length <= count * 4) return items.sort(compare).slice(0, count);
	// A heap whose root is the last-ordered item kept, so it is the one a better item replaces.
	const heap: T[] = [];
	const later = (i: number, j: number) => compare(heap[i], heap[j]) > 0;
	for (const item of items) {
		if (heap.length < count) {
			heap.push(item);
			for (let i = heap.length - 1; i > 0;) {
				const parent = (i - 1) >> 1;
				if (!later(i, parent)) break;
				[heap[i], heap[parent]] = [heap[parent], heap[i]];
				i = parent;
			}
		} else if (count > 0 && compare(item, heap[0]) < 0) {
			heap[0] = item;
			for (let i = 0; ;) {
				const left = 2 * i + 1;
				const right = left + 1;
				let top = i;
				if (left < heap.length && later(left, top)) top = left;
				if (right < heap.length && later(right, top)) top = right;
				if (top === i) break;
				[heap[i], heap[top]] = [heap[top], heap[i]];
				i = top;
			}
		}
	}
	return heap.sort(compare);
}
