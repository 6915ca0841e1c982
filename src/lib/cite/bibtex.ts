/**
 * BibTeX: writing a paper (or a whole edition) as `@inproceedings` entries. Reading BibTeX is
 * the import's (scripts/import/bibtex.ts, with @retorquere/bibtex-parser).
 *
 * Pure: no Node APIs, relative imports only.
 */
import type { Edition, Paper } from '../types.ts';
import { encodeLatex } from './latex.ts';
import { invertedName, splitName } from './names.ts';
import { fold } from '../text/normalise.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Words whose capitals BibTeX styles must not lower-case: acronyms and CamelCase names. */
function protectCapitals(encodedTitle: string): string {
	return encodedTitle.replace(
		/(?<![\\\w{])([\p{L}\p{N}]*\p{Lu}[\p{L}\p{N}-]*\p{Lu}[\p{L}\p{N}]*)/gu,
		'{$1}'
	);
}

/** Folds a word to plain ASCII letters and digits for a citation key. */
function keyPart(text: string): string {
	return fold(text).replace(/[^a-z0-9]/g, '');
}

const TITLE_STOP_WORDS = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'to', 'from', 'and']);

/** A conventional citation key: first author's family name, year, first significant title word. */
export function bibtexKey(paper: Pick<Paper, 'authors' | 'year' | 'title' | 'id'>): string {
	const family = paper.authors[0] ? keyPart(splitName(paper.authors[0].name).family) : '';
	const titleWord =
		paper.title
			.split(/[\s:,-]+/)
			.map(keyPart)
			.find((word) => word && !TITLE_STOP_WORDS.has(word)) ?? '';
	const key = `${family}${paper.year}${titleWord}`;
	return key || keyPart(paper.id) || 'paper';
}

/** The pages field the way BibTeX writes ranges (`12--24`). */
function bibtexPages(pages: string): string {
	return pages.replace(/\s*[-–—]+\s*/, '--');
}

function field(name: string, value: string): string {
	return `  ${name.padEnd(9)} = {${value}}`;
}

interface BibtexOptions {
	/** Overrides the generated key (used to keep keys unique inside an edition file). */
	key?: string;
	/** Absolute URL of the paper's page on this site, used when the paper has no URL or DOI. */
	pageUrl?: string;
}

/** One paper as an `@inproceedings` entry, LaTeX-escaped, with a trailing newline. */
export function paperToBibtex(
	paper: Paper,
	edition: Edition | undefined,
	options: BibtexOptions = {}
): string {
	const lines: string[] = [];
	const add = (name: string, value: string | number | null | undefined, encode = true) => {
		if (value === null || value === undefined || value === '') return;
		lines.push(field(name, encode ? encodeLatex(String(value)) : String(value)));
	};
	lines.push(field('title', protectCapitals(encodeLatex(paper.title))));
	add('author', paper.authors.map((a) => encodeLatex(invertedName(a.name))).join(' and '), false);
	if (edition) {
		add('booktitle', edition.title);
		if (edition.editors?.length) {
			add('editor', edition.editors.map((e) => encodeLatex(invertedName(e))).join(' and '), false);
		}
		add('series', edition.series);
		add('volume', edition.volume);
		add('address', edition.location);
	}
	if (paper.pages) add('pages', bibtexPages(paper.pages), false);
	add('year', paper.year);
	const month = edition?.date ? Number(edition.date.slice(5, 7)) : NaN;
	if (month >= 1 && month <= 12) lines.push(`  ${'month'.padEnd(9)} = ${MONTHS[month - 1]}`);
	add('doi', paper.doi);
	add('url', paper.url ?? (paper.doi ? `https://doi.org/${paper.doi}` : options.pageUrl));
	if (paper.arxiv) {
		add('eprint', paper.arxiv);
		add('archiveprefix', 'arXiv');
	}
	if (paper.keywords.length) add('keywords', paper.keywords.join(', '));
	add('note', paper.award);
	add('abstract', paper.abstract);
	return `@inproceedings{${options.key ?? bibtexKey(paper)},\n${lines.join(',\n')}\n}\n`;
}

/** Every paper of an edition in one file; keys made unique with a, b, c suffixes. */
export function editionToBibtex(papers: Paper[], edition: Edition | undefined): string {
	const used = new Map<string, number>();
	const entries = papers.map((paper) => {
		const base = bibtexKey(paper);
		const seen = used.get(base) ?? 0;
		used.set(base, seen + 1);
		const key = seen === 0 ? base : `${base}${String.fromCharCode(97 + ((seen - 1) % 26))}`;
		return paperToBibtex(paper, edition, { key });
	});
	const header = edition ? `% ${edition.title}\n% ${papers.length} papers\n\n` : '';
	return header + entries.join('\n');
}
