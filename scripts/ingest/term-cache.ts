/**
 * The similarity term counts of each PDF's pages, kept beside its page texts in the cache
 * (`cache/text/<sha256>.terms.json`, removed with them by prune.ts): counting the pages' terms
 * was four fifths of the similarity stage (3.3 s of CPU on the 100-paper bench corpus, 0.7 s
 * with the counts kept), and a PDF's pages change only when it does.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { textCacheDir, writeFileAtomic } from '../../src/lib/server/data-dir.ts';
import { STOP_WORDS } from '../../src/lib/text/normalise.ts';
import { countTerms, GENERIC_TERMS, type TermCounts } from '../../src/lib/corpus/similar.ts';

/**
 * A fixed text that meets every rule of {@link countTerms} and of the fold, tokenizer and stemmer
 * under it: ligatures, accents and special letters, dashes, soft hyphens and zero-width marks,
 * compounds, apostrophes, dotted addresses, digits, short words, and each plural ending.
 */
export const SAMPLE_TEXT = [
	'Grad-CAM, GradCAM and grad cam: saliency maps of chest X-rays (t-SNE, p-values, 3D U-Net).',
	'The ﬁrst classiﬁers’ “explanations” – Müller, Dvořák, Łukasz, Øre, Straße, Æther, Œuvre, ς.',
	'Studies, classes, boxes, matches, wishes, quizzes; focus, analysis, glass, models, labelled.',
	'See doi.org/10.1000/xyz and arxiv.org, e.g. i.e.; 2019 v2 x1 ab abc −3 — self‑explaining,',
	'co\u00adoperation, zero\u200bwidth, counterfactual-based, attention-based, ex-ante.'
].join('\n');

/**
 * Names the way term counts are made: a hash of the counts of {@link SAMPLE_TEXT} and of the word
 * lists counting leaves out. Any change to the fold, tokenizer, stemmer, stop words or generic
 * terms that shows on the sample changes it, so that kept counts are never those of older code
 * (a version number bumped by hand was forgotten once already).
 */
export function termCountsFingerprint(
	count: (text: string) => TermCounts = countTerms,
	leftOut: Iterable<string>[] = [STOP_WORDS, GENERIC_TERMS]
): string {
	const lists = leftOut.map((words) => [...words].sort());
	const { counts, surfaces } = count(
		[SAMPLE_TEXT, ...lists.map((words) => words.join(' '))].join('\n')
	);
	const sortedCounts = [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
	const sortedSurfaces = [...surfaces]
		.map(([term, forms]) => [term, [...forms].sort(([a], [b]) => (a < b ? -1 : 1))] as const)
		.sort(([a], [b]) => (a < b ? -1 : 1));
	return createHash('sha256')
		.update(JSON.stringify([lists, sortedCounts, sortedSurfaces]))
		.digest('hex');
}

/** The fingerprint of this code's counts, computed once. */
let currentFingerprint: string | undefined;

/** The cached file: Maps as lists of pairs, so that any term is a safe key. */
interface CachedTermCounts {
	/** The {@link termCountsFingerprint} of the code that counted. */
	fingerprint: string;
	/** SHA-256 of the pages joined by newlines: counts of other page texts are never reused. */
	pages: string;
	counts: [string, number][];
	surfaces: [string, [string, number][]][];
}

/** A paper's PDF, by the hash that names its cache files, and its page texts. */
export interface PdfPages {
	sha256: string;
	pages: string[];
}

/**
 * The term counts of every PDF's pages, by paper id: read from the cache where it holds them
 * for these very pages, counted (and cached) otherwise.
 */
export async function pageTermCounts(
	dataDir: string,
	pdfs: Map<string, PdfPages>
): Promise<Map<string, TermCounts>> {
	const result = new Map<string, TermCounts>();
	const fingerprint = (currentFingerprint ??= termCountsFingerprint());
	await Promise.all(
		[...pdfs].map(async ([paperId, { sha256, pages }]) => {
			if (pages.length === 0) return;
			const text = pages.join('\n');
			const pagesHash = createHash('sha256').update(text).digest('hex');
			const file = join(textCacheDir(dataDir), `${sha256}.terms.json`);
			const cached = await readCached(file);
			if (cached && cached.fingerprint === fingerprint && cached.pages === pagesHash) {
				result.set(paperId, {
					counts: new Map(cached.counts),
					surfaces: new Map(cached.surfaces.map(([term, forms]) => [term, new Map(forms)]))
				});
				return;
			}
			const terms = countTerms(text);
			result.set(paperId, terms);
			const stored: CachedTermCounts = {
				fingerprint,
				pages: pagesHash,
				counts: [...terms.counts],
				surfaces: [...terms.surfaces].map(([term, forms]) => [term, [...forms]])
			};
			await writeFileAtomic(file, JSON.stringify(stored));
		})
	);
	return result;
}

async function readCached(file: string): Promise<CachedTermCounts | null> {
	try {
		const cached = JSON.parse(await readFile(file, 'utf8'));
		return Array.isArray(cached?.counts) && Array.isArray(cached?.surfaces) ? cached : null;
	} catch {
		return null;
	}
}
