/**
 * The record an import produces for one paper, before it becomes `papers/<edition>/<id>.yaml`,
 * and the problems an importer reports.
 */
import type { Author, PaperType } from '../../src/lib/types.ts';

/** One paper read from an export, in corpus field names; absent fields are left out. */
export interface ImportedPaper {
	title: string;
	authors: Author[];
	type?: PaperType;
	award?: string;
	abstract?: string;
	keywords?: string[];
	doi?: string;
	arxiv?: string;
	url?: string;
	pages?: string;
	pdf_url?: string;
	license?: string;
	/** Where the record came from: `<file> (<entry key or row>)`. */
	sources: string[];
	/** Where to point a curator: `refs.bib:12 @inproceedings{key}` or `accepted.csv row 4`. */
	origin: string;
}

/** An entry the importer could not turn into a paper, or a part of one it had to drop. */
export interface ImportProblem {
	origin: string;
	message: string;
	/** `skipped`: no paper written for the entry; `dropped`: the paper is written without it. */
	effect: 'skipped' | 'dropped';
}

export interface ImportReadResult {
	papers: ImportedPaper[];
	problems: ImportProblem[];
}
