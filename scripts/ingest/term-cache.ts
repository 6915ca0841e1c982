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
import { countTerms, TERM_COUNTS_VERSION, type TermCounts } from '../../src/lib/corpus/similar.ts';

/** The cached file: Maps as lists of pairs, so that any term is a safe key. */
interface CachedTermCounts {
	version: number;
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
	await Promise.all(
		[...pdfs].map(async ([paperId, { sha256, pages }]) => {
			if (pages.length === 0) return;
			const text = pages.join('\n');
			const pagesHash = createHash('sha256').update(text).digest('hex');
			const file = join(textCacheDir(dataDir), `${sha256}.terms.json`);
			const cached = await readCached(file);
			if (cached && cached.version === TERM_COUNTS_VERSION && cached.pages === pagesHash) {
				result.set(paperId, {
					counts: new Map(cached.counts),
					surfaces: new Map(cached.surfaces.map(([term, forms]) => [term, new Map(forms)]))
				});
				return;
			}
			const terms = countTerms(text);
			result.set(paperId, terms);
			const stored: CachedTermCounts = {
				version: TERM_COUNTS_VERSION,
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
