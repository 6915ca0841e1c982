/**
 * The open-data export (`/data/catalog.json`): every paper's metadata and topics with their
 * evidence, the editions, the taxonomy and the author profiles, in a shape documented by
 * `static/catalog.schema.json` so the data outlives any one site.
 */
import type { AuthorIndex, Catalog, Edition, Paper, Taxonomy } from '../types.ts';

/** Bumped when a field changes meaning or disappears (adding a field keeps the version). */
export const OPEN_DATA_VERSION = 1;

interface OpenDataPaper extends Omit<Paper, 'file' | 'pdf' | 'words'> {
	/** Canonical page of the paper on this site. */
	page: string;
	/** Whether this site holds the paper's full text, and how long it is. */
	fullText: { pages: number; words: number } | null;
	/** The BibTeX, RIS and CSL-JSON downloads. */
	cite: { bibtex: string; ris: string; csl: string };
}

export interface OpenDataCatalog {
	$schema: string;
	version: number;
	generator: string;
	builtAt: string;
	origin: string;
	editions: (Edition & { page: string; bibtex: string })[];
	papers: OpenDataPaper[];
	taxonomy: Taxonomy;
	authors: AuthorIndex['authors'];
}

/** Builds the public catalog: internal fields (file paths, content hashes) left out. */
export function openDataCatalog(
	catalog: Catalog,
	authors: AuthorIndex,
	origin: string
): OpenDataCatalog {
	return {
		$schema: `${origin}/catalog.schema.json`,
		version: OPEN_DATA_VERSION,
		generator: 'Glassbox',
		builtAt: catalog.builtAt,
		origin,
		editions: catalog.editions.map((edition) => ({
			...edition,
			page: `${origin}/editions/${encodeURIComponent(edition.id)}`,
			bibtex: `${origin}/editions/${encodeURIComponent(edition.id)}.bib`
		})),
		papers: catalog.papers.map((paper) => {
			const { pdf, words, ...withFile } = paper;
			const rest: Omit<Paper, 'file' | 'pdf' | 'words'> & { file?: string } = { ...withFile };
			delete rest.file;
			const page = `${origin}/papers/${encodeURIComponent(paper.id)}`;
			return {
				...rest,
				page,
				fullText: pdf ? { pages: pdf.pageCount, words } : null,
				cite: { bibtex: `${page}/cite.bib`, ris: `${page}/cite.ris`, csl: `${page}/cite.json` }
			};
		}),
		taxonomy: catalog.taxonomy,
		authors: authors.authors
	};
}
