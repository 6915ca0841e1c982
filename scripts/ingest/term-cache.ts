/**
 * The similarity term lists of every paper's metadata and every PDF's pages, kept in one file
 * (`cache/similarity-terms.v8`) from ingest to ingest: counting terms was most of the similarity
 * stage, and reading them back from a JSON file per PDF (Maps of terms and of written forms)
 * took 6–13 s on 1,000 papers with full text. Lists are keyed by a hash of the text they count,
 * so a paper is counted again only when its metadata or its pages change, and the file keeps
 * only the lists of the last ingest's papers.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { writeFileAtomic } from '../../src/lib/server/data-dir.ts';
import { pagesHash } from './file-hash.ts';
import type { Paper } from '../../src/lib/types.ts';
import { STOP_WORDS } from '../../src/lib/text/normalise.ts';
import {
	countTerms,
	GENERIC_TERMS,
	metadataText,
	type PaperTerms,
	type TermCounts
} from '../../src/lib/corpus/similar.ts';
import {
	compactTermLists,
	TermStrings,
	toTermList,
	type TermList
} from '../../src/lib/corpus/term-lists.ts';

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

/** The kept file, in V8's serialisation (typed arrays are stored as their bytes). */
interface KeptTermLists {
	/** The {@link termCountsFingerprint} of the code that counted. */
	fingerprint: string;
	strings: string[];
	/** By the SHA-256 of the text counted, prefixed with what it is (`metadata:`, `pages:`). */
	lists: Map<string, TermList>;
}

/** The file the term lists are kept in. */
export const termListsFile = (dataDir: string) => join(dataDir, 'cache', 'similarity-terms.v8');

/** A paper's PDF, by the hash that names its cache files, and its page texts. */
export interface PdfPages {
	sha256: string;
	pages: string[];
}

/**
 * The term lists of every paper (`terms[i]` is `papers[i]`'s) and the strings they point into:
 * read from the kept file where it holds them for these very texts, counted otherwise; the file
 * is rewritten when a list was counted or is no longer used.
 */
export async function paperTermLists(
	dataDir: string,
	papers: Paper[],
	pdfs: Map<string, PdfPages>
): Promise<{ terms: PaperTerms[]; strings: string[] }> {
	const fingerprint = (currentFingerprint ??= termCountsFingerprint());
	const file = termListsFile(dataDir);
	const kept = await readKept(file, fingerprint);
	const strings = new TermStrings(kept?.strings ?? []);
	const lists = new Map<string, TermList>();
	let counted = 0;
	/** The list kept under `key`, or counted from `text()` (asked for only then). */
	const listOf = (key: string, text: () => string): TermList => {
		let list = lists.get(key) ?? kept?.lists.get(key);
		if (!list) {
			list = toTermList(countTerms(text()), strings);
			counted += 1;
		}
		lists.set(key, list);
		return list;
	};
	const terms = papers.map((paper): PaperTerms => {
		const pages = pdfs.get(paper.id)?.pages ?? [];
		const metadata = metadataText(paper);
		return {
			metadata: listOf(
				`metadata:${createHash('sha256').update(metadata).digest('hex')}`,
				() => metadata
			),
			pages: pages.length > 0 ? listOf(`pages:${pagesHash(pages)}`, () => pages.join('\n')) : null
		};
	});
	if (counted > 0 || lists.size !== kept?.lists.size) {
		const compact = compactTermLists([...lists.values()], strings.strings);
		const stored: KeptTermLists = {
			fingerprint,
			strings: compact.strings,
			lists: new Map([...lists.keys()].map((key, i) => [key, compact.lists[i]]))
		};
		await mkdir(dirname(file), { recursive: true });
		await writeFileAtomic(file, serialize(stored));
	}
	return { terms, strings: strings.strings };
}

/** The kept lists if the file is there, whole, and of this code's counting; null otherwise. */
async function readKept(file: string, fingerprint: string): Promise<KeptTermLists | null> {
	let kept: Partial<KeptTermLists>;
	try {
		kept = deserialize(await readFile(file)) as Partial<KeptTermLists>;
	} catch {
		return null;
	}
	if (kept?.fingerprint !== fingerprint || !Array.isArray(kept.strings)) return null;
	if (!(kept.lists instanceof Map)) return null;
	const size = kept.strings.length;
	const inRange = (ids: unknown) =>
		ids instanceof Int32Array && ids.every((id) => id >= 0 && id < size);
	for (const list of kept.lists.values()) {
		const whole =
			inRange(list?.terms) &&
			inRange(list.formTerms) &&
			inRange(list.formStrings) &&
			list.counts instanceof Int32Array &&
			list.formCounts instanceof Int32Array &&
			list.counts.length === list.terms.length &&
			list.formCounts.length === list.formTerms.length &&
			list.formStrings.length === list.formTerms.length;
		if (!whole) return null;
	}
	return kept as KeptTermLists;
}
