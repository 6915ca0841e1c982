/**
 * The inferred topics of each paper kept between ingests (`cache/topics.json`): tagging every
 * paper again was 8.7 s of the CPU of adding one paper to 1,000 papers with full text. Kept
 * topics are reused only for the same metadata, page texts, taxonomy and tagging code (the
 * source text of the modules that tag), so a change to any of them tags the paper again.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { tagPaper } from '../../src/lib/corpus/tag.ts';
import { keptTopicsPath } from '../../src/lib/server/data-dir.ts';
import type { PaperSource, PaperTopic, Taxonomy } from '../../src/lib/types.ts';
import { loadKeptValues, type KeptValues } from './kept-values.ts';
import { hashFiles, pagesHash } from './file-hash.ts';

/** The modules whose code decides a paper's topics: `tag.ts` and the fold and stemmer it uses. */
const TAGGING_MODULES = ['../../src/lib/corpus/tag.ts', '../../src/lib/text/normalise.ts'].map(
	(module) => fileURLToPath(new URL(module, import.meta.url))
);

/** Tags papers, reusing the topics kept for the same inputs; `save` keeps this run's. */
export interface KeptTagger {
	tag(paper: PaperSource, pages: string[]): PaperTopic[];
	save(): Promise<void>;
}

/**
 * A tagger for `taxonomy` over the topics kept in `dataDir`. When the tagging code cannot be
 * read (a bundled deployment), nothing is reused or kept: every paper is tagged.
 */
export async function loadTagger(dataDir: string, taxonomy: Taxonomy): Promise<KeptTagger> {
	const code = await hashFiles(TAGGING_MODULES);
	if (code === null)
		return { tag: (paper, pages) => tagPaper(paper, pages, taxonomy), save: async () => {} };
	const kept: KeptValues<PaperTopic[]> = await loadKeptValues(keptTopicsPath(dataDir));
	const common = createHash('sha256').update(code).update(JSON.stringify(taxonomy)).digest('hex');
	return {
		tag(paper, pages) {
			const hash = createHash('sha256').update(common).update(JSON.stringify(paper));
			const key = `${paper.id}:${hash.update(pagesHash(pages)).digest('hex')}`;
			const topics = kept.get(key) ?? tagPaper(paper, pages, taxonomy);
			kept.set(key, topics);
			return topics;
		},
		save: () => kept.save()
	};
}
