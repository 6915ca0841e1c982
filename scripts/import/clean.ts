/**
 * Normalising imported values to what the corpus validator accepts: bare DOIs and arXiv ids,
 * page ranges with a hyphen, presentation types from free text. Invalid values are reported and
 * dropped rather than written, so an import never produces a file the ingest rejects.
 */
import { arxivProblem, doiProblem } from '../../src/lib/corpus/identifiers.ts';
import { normaliseText } from '../../src/lib/text/normalise.ts';
import type { PaperType } from '../../src/lib/types.ts';
import type { ImportedPaper, ImportProblem } from './record.ts';

/** Strips `https://doi.org/` and `doi:` prefixes. */
export function bareDoi(value: string): string {
	return value
		.trim()
		.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '')
		.trim();
}

/** Finds an arXiv id in an id, an `arXiv:` reference, a DBLP `abs/…` volume or an arxiv.org URL. */
export function findArxivId(value: string): string | null {
	const match =
		/(?:arxiv\.org\/(?:abs|pdf)\/|arxiv:\s*|^abs\/|^)(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?\/\d{7}(?:v\d+)?)(?:\.pdf)?$/i.exec(
			value.trim()
		);
	return match ? match[1] : null;
}

/** "34--45", "34–45" and "34 - 45" all become "34-45". */
export function cleanPages(value: string): string {
	return value.trim().replace(/\s*[-–—]+\s*/g, '-');
}

/** The presentation type named in free text ("Oral presentation", "Poster session 2"). */
export function presentationType(value: string): PaperType | undefined {
	const text = value.toLowerCase();
	if (/keynote/.test(text)) return 'keynote';
	if (/invited/.test(text)) return 'invited';
	if (/oral|talk|spotlight/.test(text)) return 'oral';
	if (/poster/.test(text)) return 'poster';
	return undefined;
}

/** What a free-text note yields: a presentation type, an award, and what it could not read. */
export interface NoteFacts {
	type?: PaperType;
	award?: string;
	/** Parts that are neither, for the import report (they are not written). */
	unread: string[];
}

/**
 * Reads a BibTeX `note` (or a similar cell) part by part: `Oral presentation. Best Paper Award`
 * gives type `oral` and award `Best Paper Award`. A part naming an award is the award; a short
 * part naming a presentation type is the type; anything else is returned as unread.
 */
export function readNote(note: string): NoteFacts {
	const facts: NoteFacts = { unread: [] };
	const parts = normaliseText(note)
		.split(/(?<=[.;])\s+|\s*;\s*|\s*\n\s*/)
		.map((part) => part.replace(/[.;,\s]+$/, '').trim())
		.filter(Boolean);
	for (const part of parts) {
		if (/award|prize|honou?rable mention|runner[- ]up/i.test(part) && !facts.award) {
			facts.award = part;
			continue;
		}
		const type = part.split(/\s+/).length <= 4 ? presentationType(part) : undefined;
		if (type && !facts.type) facts.type = type;
		else facts.unread.push(part);
	}
	return facts;
}

/** Sets a paper's type and award from its note; reports the parts it could not read as dropped. */
export function readNoteInto(paper: ImportedPaper, note: string, problems: ImportProblem[]): void {
	const facts = readNote(note);
	if (facts.type) paper.type = facts.type;
	if (facts.award) paper.award = facts.award;
	for (const part of facts.unread) {
		problems.push({
			origin: paper.origin,
			message: `note: "${part}" is neither a presentation type nor an award; not imported`,
			effect: 'dropped'
		});
	}
}

/** Splits a keyword list on semicolons, or commas when there are none. */
export function splitKeywords(value: string): string[] {
	const separator = value.includes(';') ? ';' : /\n/.test(value) ? '\n' : ',';
	return [
		...new Set(
			value
				.split(separator)
				.map((k) => normaliseText(k))
				.filter(Boolean)
		)
	];
}

/**
 * Checks identifiers against the corpus rules; a bad one is dropped from the record and
 * reported, so the written YAML still validates.
 */
export function validateIdentifiers(
	paper: ImportedPaper,
	problems: ImportProblem[]
): ImportedPaper {
	const checked = { ...paper };
	if (checked.doi !== undefined) {
		checked.doi = bareDoi(checked.doi);
		const problem = doiProblem(checked.doi);
		if (problem) {
			problems.push({ origin: paper.origin, message: `doi: ${problem}`, effect: 'dropped' });
			delete checked.doi;
		}
	}
	if (checked.arxiv !== undefined) {
		const problem = arxivProblem(checked.arxiv);
		if (problem) {
			problems.push({ origin: paper.origin, message: `arxiv: ${problem}`, effect: 'dropped' });
			delete checked.arxiv;
		}
	}
	for (const field of ['url', 'pdf_url'] as const) {
		const value = checked[field];
		if (value !== undefined && !/^https?:\/\/\S+$/.test(value)) {
			problems.push({
				origin: paper.origin,
				message: `${field}: "${value}" is not an http(s) URL`,
				effect: 'dropped'
			});
			delete checked[field];
		}
	}
	return checked;
}
