/**
 * A text's similarity term counts in compact form: ids into one shared list of strings, in typed
 * arrays. With a Map of terms and a Map of written forms per text, 1,000 papers with full text
 * were 2.5 million Map entries to read, merge and collect (most of the similarity stage, and
 * most of it garbage collection); as ids they are a few typed arrays.
 *
 * Relative imports only: the ingest (tsx) calls it.
 */

/** A text's terms for similarity: how often each occurs, and how often each written form of it. */
export interface TermCounts {
	counts: Map<string, number>;
	surfaces: Map<string, Map<string, number>>;
}

/**
 * {@link TermCounts} as ids into a {@link TermStrings}. Only written forms other than the term
 * itself are listed: the term's own form counts what is left of its count.
 */
export interface TermList {
	/** Term ids, ascending. */
	terms: Int32Array;
	/** How often each term occurs. */
	counts: Int32Array;
	/** Written forms other than the term itself: the term's id, the form's id and its count. */
	formTerms: Int32Array;
	formStrings: Int32Array;
	formCounts: Int32Array;
}

/** The strings term lists point into, numbered in the order first seen. */
export class TermStrings {
	readonly strings: string[];
	#ids: Map<string, number> | undefined;

	constructor(strings: string[] = []) {
		this.strings = strings;
	}

	/** The id of `text`, numbered now if it is new. */
	id(text: string): number {
		this.#ids ??= new Map(this.strings.map((string, i) => [string, i]));
		let id = this.#ids.get(text);
		if (id === undefined) {
			id = this.strings.length;
			this.strings.push(text);
			this.#ids.set(text, id);
		}
		return id;
	}
}

/** `counts` as a {@link TermList} over `strings` (new terms and forms are numbered in it). */
export function toTermList(counts: TermCounts, strings: TermStrings): TermList {
	const entries = [...counts.counts].map(([term, count]) => [strings.id(term), count] as const);
	entries.sort((a, b) => a[0] - b[0]);
	const forms: [number, number, number][] = [];
	for (const [term, surfaces] of counts.surfaces) {
		for (const [surface, count] of surfaces) {
			if (surface !== term) forms.push([strings.id(term), strings.id(surface), count]);
		}
	}
	return {
		terms: Int32Array.from(entries, ([id]) => id),
		counts: Int32Array.from(entries, ([, count]) => count),
		formTerms: Int32Array.from(forms, ([term]) => term),
		formStrings: Int32Array.from(forms, ([, surface]) => surface),
		formCounts: Int32Array.from(forms, ([, , count]) => count)
	};
}

/** The counts of two lists' texts together (both ascending by id, and so is the result). */
export function mergeTermLists(
	a: TermList,
	b: TermList | null
): { terms: Int32Array; counts: Int32Array } {
	if (!b) return { terms: a.terms, counts: a.counts };
	const terms = new Int32Array(a.terms.length + b.terms.length);
	const counts = new Int32Array(terms.length);
	let i = 0;
	let j = 0;
	let k = 0;
	while (i < a.terms.length || j < b.terms.length) {
		const fromA = j === b.terms.length || (i < a.terms.length && a.terms[i] <= b.terms[j]);
		const fromB = i === a.terms.length || (j < b.terms.length && b.terms[j] <= a.terms[i]);
		terms[k] = fromA ? a.terms[i] : b.terms[j];
		counts[k++] = (fromA ? a.counts[i++] : 0) + (fromB ? b.counts[j++] : 0);
	}
	return { terms: terms.subarray(0, k), counts: counts.subarray(0, k) };
}

/**
 * Adds the written forms of the terms `wanted` marks in `list` to `forms` (by term id, then
 * form): the term's own form gets what its listed other forms leave of its count.
 */
export function addWrittenForms(
	forms: Map<number, Map<string, number>>,
	list: TermList,
	wanted: Uint8Array,
	strings: readonly string[]
): void {
	const add = (term: number, form: string, count: number) => {
		let counts = forms.get(term);
		if (!counts) forms.set(term, (counts = new Map()));
		counts.set(form, (counts.get(form) ?? 0) + count);
	};
	const own = new Map<number, number>();
	for (let k = 0; k < list.terms.length; k++) {
		if (wanted[list.terms[k]]) own.set(list.terms[k], list.counts[k]);
	}
	for (let k = 0; k < list.formTerms.length; k++) {
		const term = list.formTerms[k];
		if (!wanted[term]) continue;
		add(term, strings[list.formStrings[k]], list.formCounts[k]);
		own.set(term, own.get(term)! - list.formCounts[k]);
	}
	for (const [term, count] of own) if (count > 0) add(term, strings[term], count);
}

/**
 * The lists with their strings renumbered to those they use only, in the same order (so that
 * each list stays ascending): what is kept on disk when papers leave.
 */
export function compactTermLists(
	lists: TermList[],
	strings: readonly string[]
): { lists: TermList[]; strings: string[] } {
	const used = new Uint8Array(strings.length);
	for (const list of lists) {
		for (const id of list.terms) used[id] = 1;
		for (const id of list.formStrings) used[id] = 1;
	}
	const renumbered = new Int32Array(strings.length);
	const kept: string[] = [];
	strings.forEach((string, id) => {
		if (used[id]) renumbered[id] = kept.push(string) - 1;
	});
	const map = (ids: Int32Array) => ids.map((id) => renumbered[id]);
	return {
		strings: kept,
		lists: lists.map((list) => ({
			terms: map(list.terms),
			counts: list.counts,
			formTerms: map(list.formTerms),
			formStrings: map(list.formStrings),
			formCounts: list.formCounts
		}))
	};
}
