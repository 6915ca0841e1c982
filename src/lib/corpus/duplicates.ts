/**
 * One paper listed twice: the same DOI, the same arXiv id (any version) or a near-identical title
 * (case, accents, punctuation, small words and a typo or two apart). Used by the ingest, which
 * warns naming both files, and by the import, which refuses to write a second file unless forced.
 */
import { boundedEditDistance } from '../search/edit-distance.ts';
import { fold } from '../text/normalise.ts';

/** What identifies a paper for this purpose; `file` names it in messages. */
export interface PaperIdentity {
	file: string;
	title?: unknown;
	doi?: unknown;
	arxiv?: unknown;
}

export interface Duplicate<T extends PaperIdentity> {
	/** The paper met first (in the order given). */
	first: T;
	second: T;
	/** `the same DOI 10.…`, `the same arXiv id 2401.00001` or `a near-identical title`. */
	reason: string;
}

const SMALL_WORDS = new Set('a an the of on in for to and with via by from using'.split(' '));
/** Titles this long or longer may differ by two edits (a typo, a plural) and still be one paper. */
const NEAR_TITLE_LENGTH = 24;

/** A title reduced to what tells papers apart: folded, letters and digits, no small words. */
export function titleKey(title: string): string {
	return fold(title)
		.split(/[^a-z0-9]+/)
		.filter((word) => word && !SMALL_WORDS.has(word))
		.map((word) => word.replace(/s$/, ''))
		.join(' ');
}

function doiOf(paper: PaperIdentity): string | null {
	return typeof paper.doi === 'string' && paper.doi ? paper.doi.toLowerCase() : null;
}

function arxivOf(paper: PaperIdentity): string | null {
	return typeof paper.arxiv === 'string' && paper.arxiv ? paper.arxiv.replace(/v\d+$/, '') : null;
}

function nearTitles(a: string, b: string): boolean {
	if (a === b) return a.length > 0;
	if (Math.min(a.length, b.length) < NEAR_TITLE_LENGTH) return false;
	return boundedEditDistance(a, b, 2) <= 2;
}

/** Why `a` and `b` are one paper, or null when nothing says so. */
export function duplicateReason(a: PaperIdentity, b: PaperIdentity): string | null {
	const doi = doiOf(a);
	if (doi && doi === doiOf(b)) return `the same DOI ${doi}`;
	const arxiv = arxivOf(a);
	if (arxiv && arxiv === arxivOf(b)) return `the same arXiv id ${arxiv}`;
	if (typeof a.title === 'string' && typeof b.title === 'string') {
		if (nearTitles(titleKey(a.title), titleKey(b.title))) return 'a near-identical title';
	}
	return null;
}

/**
 * Every pair of papers that look like one paper listed twice, each pair once. Identifiers are
 * matched exactly; titles exactly after {@link titleKey}, and as near-identical with their
 * neighbours in sorted order (a typo late in a long title), which keeps it O(n log n).
 */
export function findDuplicates<T extends PaperIdentity>(papers: T[]): Duplicate<T>[] {
	const found: Duplicate<T>[] = [];
	const paired = new Set<string>();
	const add = (first: T, second: T, reason: string) => {
		const pair = [first.file, second.file].sort().join('\n');
		if (first === second || paired.has(pair)) return;
		paired.add(pair);
		found.push({ first, second, reason });
	};
	const byKey = new Map<string, T>();
	for (const paper of papers) {
		const keys = [
			doiOf(paper) && `doi:${doiOf(paper)}`,
			arxivOf(paper) && `arxiv:${arxivOf(paper)}`
		];
		for (const key of keys) {
			if (!key) continue;
			const earlier = byKey.get(key);
			if (earlier) add(earlier, paper, duplicateReason(earlier, paper)!);
			else byKey.set(key, paper);
		}
	}
	const titled = papers
		.filter((paper) => typeof paper.title === 'string')
		.map((paper) => ({ paper, key: titleKey(paper.title as string) }))
		.filter(({ key }) => key.length > 0)
		.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	const order = new Map(papers.map((paper, index) => [paper, index]));
	for (let i = 1; i < titled.length; i++) {
		const [a, b] = [titled[i - 1], titled[i]];
		if (!nearTitles(a.key, b.key)) continue;
		const [first, second] =
			order.get(a.paper)! < order.get(b.paper)! ? [a.paper, b.paper] : [b.paper, a.paper];
		add(first, second, duplicateReason(first, second) ?? 'a near-identical title');
	}
	return found;
}
