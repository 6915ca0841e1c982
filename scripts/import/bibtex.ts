/**
 * BibTeX → imported papers, for what DBLP and Springer export: `@inproceedings` (and
 * `@incollection`, `@article`, arXiv `@misc`) entries; `@proceedings` volumes and entries without
 * a title or authors reported as not imported. Reading BibTeX itself (macros, concatenation,
 * LaTeX accents, names) is @retorquere/bibtex-parser's job.
 */
import { basename } from 'node:path';
import { parse, type Creator } from '@retorquere/bibtex-parser';
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

/** One BibTeX entry with its fields as plain Unicode text. */
interface BibtexRecord {
	/** Lower-case entry type: `inproceedings`, `article`, … */
	type: string;
	key: string;
	/** Field values as plain text (LaTeX decoded, markup dropped), keyed by lower-case name. */
	fields: Record<string, string>;
	/** `author` and `editor` as display-order names ("Bram van Ginneken"); "others" dropped. */
	authors: string[];
	editors: string[];
	keywords: string[];
	/** 1-based line where the entry starts, for messages. */
	line: number;
}

interface BibtexReadResult {
	records: BibtexRecord[];
	/** Entries the parser could not read, by the line they start on. */
	errors: { line: number; message: string }[];
}

/** Parses BibTeX text into records; an unreadable entry is reported and the rest still read. */
export function parseBibtex(text: string): BibtexReadResult {
	const library = parse(text, {
		// Titles stay as written: no sentence-casing, no case-protection markup.
		english: false,
		sentenceCase: false,
		caseProtection: false,
		unsupported: 'ignore'
	});
	let searchFrom = 0;
	/** The line on which `source` (an entry as written) starts, searching forward. */
	const lineOf = (source: string | undefined): number => {
		const at = source ? text.indexOf(source, searchFrom) : -1;
		if (at < 0) return 0;
		searchFrom = at + 1;
		return text.slice(0, at).split('\n').length;
	};
	const records: BibtexRecord[] = [];
	for (const entry of library.entries) {
		// An entry the parser gave up on comes back empty, with its error in `errors`.
		if (!entry.input) continue;
		const { author, editor, keywords, ...rest } = entry.fields;
		const fields: Record<string, string> = {};
		for (const [name, value] of Object.entries(rest)) {
			if (typeof value !== 'string') continue;
			fields[name] = entry.mode[name] === 'verbatim' ? verbatimText(value) : plainText(value);
		}
		records.push({
			type: entry.type,
			key: entry.key,
			fields,
			authors: displayNames(author),
			editors: displayNames(editor),
			// The parser sorts keywords; the curator's order is the one they were written in.
			keywords: [...(keywords ?? [])]
				.sort((a, b) => entry.input.indexOf(a) - entry.input.indexOf(b))
				.map(verbatimText)
				.filter(Boolean),
			line: lineOf(entry.input)
		});
	}
	searchFrom = 0;
	const errors = library.errors.map((error) => ({
		line: lineOf(error.input),
		message: error.error
	}));
	return { records, errors };
}

/**
 * The parser's rich text as plain text: its `<i>`/`<b>`/`<sup>` markup dropped (a literal `<`
 * never survives LaTeX decoding, so every tag is markup), and a dotless i under an accent made
 * the precomposed letter (`{\'{\i}}` is í).
 */
function plainText(value: string): string {
	return value
		.replace(/<\/?[a-z]+(?:\s[^>]*)?>/g, '')
		.replace(/\u0131(?=[\u0300-\u036f])/g, 'i')
		.normalize('NFC')
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * A verbatim field (DOI, URL, keywords) as text: the parser keeps it as written, but DBLP escapes
 * underscores in DOIs (`8\\_14`) and exports brace acronyms in keywords (`{XAI}`).
 */
function verbatimText(value: string): string {
	return value
		.replace(/\\([_%&#$])/g, '$1')
		.replace(/[{}]/g, '')
		.trim();
}

function displayNames(creators: Creator[] | undefined): string[] {
	return (creators ?? [])
		.filter((creator) => !(creator.lastName === 'others' && !creator.firstName))
		.map((creator) =>
			plainText(
				creator.name ??
					[creator.firstName, creator.prefix, creator.lastName, creator.suffix]
						.filter(Boolean)
						.join(' ')
			)
		)
		.filter(Boolean);
}

const PAPER_ENTRY_TYPES = new Set([
	'inproceedings',
	'conference',
	'incollection',
	'article',
	'misc'
]);

/** Reads a BibTeX export; `file` names the source in reports and in each paper's `sources`. */
export function readBibtexExport(text: string, file: string): ImportReadResult {
	const name = basename(file);
	const { records, errors } = parseBibtex(text);
	const problems: ImportProblem[] = errors.map((error) => ({
		origin: `${name}:${error.line}`,
		message: `unreadable BibTeX: ${error.message}`,
		effect: 'skipped'
	}));
	const papers: ImportedPaper[] = [];
	for (const entry of records) {
		const origin = `${name}:${entry.line} @${entry.type}{${entry.key}}`;
		const skip = (message: string) => problems.push({ origin, message, effect: 'skipped' });
		if (!PAPER_ENTRY_TYPES.has(entry.type)) {
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
		const authors = entry.authors;
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
		const keywords = [
			...new Set(entry.keywords.length ? entry.keywords : splitKeywords(f.keyword ?? ''))
		];
		if (keywords.length) paper.keywords = keywords;
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
