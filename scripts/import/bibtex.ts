/**
 * BibTeX → imported papers, for what DBLP and Springer export: `@inproceedings` (and
 * `@incollection`, `@article`, arXiv `@misc`) entries; LaTeX accents decoded; `@proceedings`
 * volumes and entries without a title or authors reported as not imported.
 */
import { basename } from 'node:path';
import { parseBibtex, parseBibtexNames } from '../../src/lib/cite/bibtex.ts';
import { normaliseText } from '../../src/lib/text/normalise.ts';
import {
	bareDoi,
	cleanPages,
	findArxivId,
	readNoteInto,
	splitKeywords,
	validateIdentifiers
} from './clean.ts';
import type { ImportedPaper, ImportProblem, ImportReadResult } from './record.ts';

const PAPER_TYPES = new Set(['inproceedings', 'conference', 'incollection', 'article', 'misc']);

/** Reads a BibTeX export; `file` names the source in reports and in each paper's `sources`. */
export function readBibtexExport(text: string, file: string): ImportReadResult {
	const name = basename(file);
	const { entries, errors } = parseBibtex(text);
	const problems: ImportProblem[] = errors.map((error) => ({
		origin: `${name}:${error.replace(/^line (\d+): .*/s, '$1')}`,
		message: `unreadable BibTeX: ${error.replace(/^line \d+: /, '')}`,
		effect: 'skipped'
	}));
	const papers: ImportedPaper[] = [];
	for (const entry of entries) {
		const origin = `${name}:${entry.line} @${entry.type}{${entry.key}}`;
		const skip = (message: string) => problems.push({ origin, message, effect: 'skipped' });
		if (!PAPER_TYPES.has(entry.type)) {
			skip(
				entry.type === 'proceedings' || entry.type === 'book'
					? `@${entry.type} is a whole volume, not a paper`
					: `@${entry.type} entries are not papers`
			);
			continue;
		}
		const f = entry.fields;
		const title = normaliseText(f.title ?? '');
		if (!title) {
			skip('no title');
			continue;
		}
		const authors = entry.raw.author ? parseBibtexNames(entry.raw.author) : [];
		if (!authors.length) {
			skip('no authors');
			continue;
		}
		const paper: ImportedPaper = {
			title,
			authors: authors.map((name) => ({ name: normaliseText(name) })),
			sources: [`${name} (${entry.key})`],
			origin
		};
		if (f.abstract) paper.abstract = normaliseText(f.abstract);
		const keywords = f.keywords ?? f.keyword;
		if (keywords) paper.keywords = splitKeywords(keywords);
		if (f.doi) paper.doi = bareDoi(f.doi);
		// arXiv: biblatex eprint, or DBLP's CoRR "volume = {abs/2003.09871}", or an arxiv.org URL.
		const arxiv =
			(f.eprint &&
				/arxiv/i.test(f.archiveprefix ?? f.eprinttype ?? 'arxiv') &&
				findArxivId(f.eprint)) ||
			(f.volume && /^abs\//.test(f.volume) && findArxivId(f.volume)) ||
			(f.url && /arxiv\.org/.test(f.url) && findArxivId(f.url)) ||
			null;
		if (arxiv) paper.arxiv = arxiv;
		const url = f.url?.trim();
		if (url && !/doi\.org|arxiv\.org/.test(url)) paper.url = url;
		if (f.pages) paper.pages = cleanPages(f.pages);
		if (f.note) readNoteInto(paper, f.note, problems);
		papers.push(validateIdentifiers(paper, problems));
	}
	return { papers, problems };
}
