/**
 * The shape of the three kinds of YAML file in `papers/` (taxonomy, edition, paper) and their
 * validation. Each validator returns the typed record, or null when the file has an error.
 */
import type {
	Author,
	Edition,
	PaperSource,
	PaperType,
	Taxonomy,
	TaxonomyEntry,
	TaxonomyTerm,
	TopicFacet
} from '../../types.ts';
import {
	checkKeys,
	describeType,
	FileReport,
	isMapping,
	optionalText,
	optionalTextList,
	optionalUrl,
	requiredText,
	type Fields
} from './fields.ts';
import { arxivProblem, bareOrcid, doiProblem, orcidProblem } from './identifiers.ts';

export const PAPER_KEYS = [
	'title',
	'authors',
	'type',
	'award',
	'abstract',
	'keywords',
	'topics',
	'doi',
	'arxiv',
	'url',
	'code',
	'pages',
	'pdf_url',
	'license',
	'sources',
	'notes'
] as const;

export const AUTHOR_KEYS = ['name', 'affiliation', 'orcid', 'aliases'] as const;

export const EDITION_KEYS = [
	'title',
	'year',
	'venue',
	'location',
	'date',
	'doi',
	'series',
	'volume',
	'editors',
	'complete',
	'notes',
	'url',
	'sources'
] as const;

export const TAXONOMY_KEYS = ['threshold', 'synonyms', 'topics'] as const;
export const TAXONOMY_ENTRY_KEYS = ['id', 'label', 'facet', 'description', 'terms'] as const;
export const PAPER_TYPES: readonly PaperType[] = ['oral', 'poster', 'keynote', 'invited', 'paper'];
const FACETS: readonly TopicFacet[] = ['topic', 'method'];

/** Ids are file stems and folder names that end up in URLs: lower case, digits, hyphens. */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// ---------------------------------------------------------------- paper

export interface PaperContext {
	id: string;
	edition: string;
	file: string;
	/** Known taxonomy ids; null when the taxonomy could not be read (topics then go unchecked). */
	topicIds: ReadonlySet<string> | null;
}

/** Validates one parsed paper YAML; returns the paper, or null when it has an error. */
export function validatePaper(
	raw: unknown,
	context: PaperContext,
	report: FileReport
): PaperSource | null {
	if (!isMapping(raw)) {
		report.error(
			undefined,
			`must be a mapping of fields (title, authors, ...), not ${describeType(raw)}`
		);
		return null;
	}
	if (!ID_PATTERN.test(context.id)) {
		report.error(
			'id',
			`file name "${context.id}" must be lower-case letters, digits and single hyphens (it becomes the paper's URL)`
		);
	}
	checkKeys(report, raw, PAPER_KEYS);
	const paper: PaperSource = {
		id: context.id,
		edition: context.edition,
		title: requiredText(report, raw, 'title') ?? '',
		authors: readAuthors(report, raw),
		file: context.file
	};
	const type = optionalText(report, raw, 'type');
	if (type !== undefined) {
		if ((PAPER_TYPES as readonly string[]).includes(type)) paper.type = type as PaperType;
		else report.error('type', `"${type}" is not a paper type (one of: ${PAPER_TYPES.join(', ')})`);
	}
	paper.award = optionalText(report, raw, 'award');
	paper.abstract = optionalText(report, raw, 'abstract');
	paper.keywords = optionalTextList(report, raw, 'keywords');
	paper.topics = readTopics(report, raw, context.topicIds);
	paper.doi = readIdentifier(report, raw, 'doi', doiProblem);
	paper.arxiv = readIdentifier(report, raw, 'arxiv', arxivProblem);
	paper.url = optionalUrl(report, raw, 'url');
	paper.code = optionalUrl(report, raw, 'code');
	paper.pdf_url = optionalUrl(report, raw, 'pdf_url');
	paper.pages = readPages(report, raw);
	paper.license = optionalText(report, raw, 'license');
	paper.sources = optionalTextList(report, raw, 'sources');
	paper.notes = optionalText(report, raw, 'notes');
	if (report.failed) return null;
	return dropUndefined(paper);
}

function readAuthors(report: FileReport, fields: Fields): Author[] {
	const value = fields.authors;
	if (value === undefined || value === null) {
		report.error('authors', 'is required (a list of names or {name, affiliation, orcid})');
		return [];
	}
	if (!Array.isArray(value)) {
		report.error('authors', `must be a list of authors, not ${describeType(value)}`);
		return [];
	}
	if (value.length === 0) {
		report.error('authors', 'is empty: at least one author is required');
		return [];
	}
	const authors: Author[] = [];
	value.forEach((item, index) => {
		const field = `authors[${index}]`;
		if (typeof item === 'string') {
			if (item.trim()) authors.push({ name: item.trim() });
			else report.error(field, 'is empty');
			return;
		}
		if (!isMapping(item)) {
			report.error(
				field,
				`must be a name or {name, affiliation, orcid}, not ${describeType(item)}`
			);
			return;
		}
		checkKeys(report, item, AUTHOR_KEYS, `${field}.`);
		const name = requiredText(report, item, 'name', `${field}.name`);
		if (name === undefined) return;
		const author: Author = { name };
		author.affiliation = optionalText(report, item, 'affiliation', `${field}.affiliation`);
		const orcid = optionalText(report, item, 'orcid', `${field}.orcid`);
		if (orcid !== undefined) {
			const problem = orcidProblem(orcid);
			if (problem) report.error(`${field}.orcid`, problem);
			else author.orcid = bareOrcid(orcid);
		}
		author.aliases = optionalTextList(report, item, 'aliases', `${field}.aliases`);
		authors.push(dropUndefined(author));
	});
	return authors;
}

function readTopics(
	report: FileReport,
	fields: Fields,
	topicIds: ReadonlySet<string> | null
): string[] | undefined {
	const topics = optionalTextList(report, fields, 'topics');
	if (!topics || !topicIds) return topics;
	topics.forEach((topic, index) => {
		if (!topicIds.has(topic)) {
			report.error(
				`topics[${index}]`,
				`unknown topic id "${topic}" (not in taxonomy.yaml${closestTopic(topic, topicIds)})`
			);
		}
	});
	return topics;
}

function closestTopic(topic: string, topicIds: ReadonlySet<string>): string {
	const folded = topic.toLowerCase().replace(/[\s_]+/g, '-');
	if (topicIds.has(folded)) return `; did you mean "${folded}"?`;
	const prefix = [...topicIds].find((id) => id.startsWith(folded) || folded.startsWith(id));
	return prefix ? `; did you mean "${prefix}"?` : '';
}

function readIdentifier(
	report: FileReport,
	fields: Fields,
	key: 'doi' | 'arxiv',
	problemOf: (value: string) => string | null
): string | undefined {
	const value = fields[key];
	if (typeof value === 'number') {
		// YAML reads an unquoted 2301.01230 as a number and drops the trailing zero.
		report.error(key, `must be quoted text: YAML read it as the number ${value}`);
		return undefined;
	}
	const text = optionalText(report, fields, key);
	if (text === undefined) return undefined;
	const problem = problemOf(text);
	if (problem) {
		report.error(key, problem);
		return undefined;
	}
	return text;
}

function readPages(report: FileReport, fields: Fields): string | undefined {
	const value = fields.pages;
	if (typeof value === 'number' && Number.isInteger(value) && value > 0) return String(value);
	const text = optionalText(report, fields, 'pages');
	if (text === undefined) return undefined;
	if (!/^[\divxlc]+(?:\s*[-–]\s*[\divxlc]+)?$/i.test(text)) {
		report.error('pages', `"${text}" is not a page range (e.g. 124-132)`);
		return undefined;
	}
	return text.replace(/\s*[-–]\s*/, '-');
}

// ---------------------------------------------------------------- edition

/** Validates one parsed `edition.yaml`; returns the edition, or null when it has an error. */
export function validateEdition(raw: unknown, id: string, report: FileReport): Edition | null {
	if (!isMapping(raw)) {
		report.error(
			undefined,
			`must be a mapping of fields (title, year, complete, ...), not ${describeType(raw)}`
		);
		return null;
	}
	if (!ID_PATTERN.test(id)) {
		report.error('id', `folder name "${id}" must be lower-case letters, digits and single hyphens`);
	}
	checkKeys(report, raw, EDITION_KEYS);
	const edition: Edition = {
		id,
		title: requiredText(report, raw, 'title') ?? '',
		year: 0,
		complete: false
	};
	const year = raw.year;
	if (year === undefined || year === null) report.error('year', 'is required');
	else if (typeof year !== 'number' || !Number.isInteger(year) || year < 1900 || year > 2200) {
		report.error('year', `must be a four-digit year, not ${describeType(year)}`);
	} else edition.year = year;
	const complete = raw.complete;
	if (complete === undefined || complete === null) {
		report.error('complete', 'is required (true when every paper of the edition is listed)');
	} else if (typeof complete !== 'boolean') {
		report.error('complete', `must be true or false, not ${describeType(complete)}`);
	} else edition.complete = complete;
	edition.venue = optionalText(report, raw, 'venue');
	edition.location = optionalText(report, raw, 'location');
	edition.date = readDate(report, raw);
	edition.doi = readIdentifier(report, raw, 'doi', doiProblem);
	edition.series = optionalText(report, raw, 'series');
	const volume = raw.volume;
	if (volume !== undefined && volume !== null) {
		if (typeof volume === 'number' && Number.isInteger(volume) && volume > 0)
			edition.volume = volume;
		else report.error('volume', `must be a whole number, not ${describeType(volume)}`);
	}
	edition.editors = optionalTextList(report, raw, 'editors');
	edition.notes = optionalText(report, raw, 'notes');
	edition.url = optionalUrl(report, raw, 'url');
	edition.sources = optionalTextList(report, raw, 'sources');
	if (report.failed) return null;
	return dropUndefined(edition);
}

function readDate(report: FileReport, fields: Fields): string | undefined {
	const value = fields.date;
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	const text = optionalText(report, fields, 'date');
	if (text === undefined) return undefined;
	const parsed = new Date(`${text}T00:00:00Z`);
	if (
		!/^\d{4}-\d{2}-\d{2}$/.test(text) ||
		Number.isNaN(parsed.getTime()) ||
		parsed.toISOString().slice(0, 10) !== text
	) {
		report.error('date', `"${text}" is not a date in the form YYYY-MM-DD`);
		return undefined;
	}
	return text;
}

// ---------------------------------------------------------------- taxonomy

/** Validates the parsed `taxonomy.yaml`; returns the taxonomy, or null when it has an error. */
export function validateTaxonomy(raw: unknown, report: FileReport): Taxonomy | null {
	if (!isMapping(raw)) {
		report.error(
			undefined,
			`must be a mapping with threshold, synonyms and topics, not ${describeType(raw)}`
		);
		return null;
	}
	checkKeys(report, raw, TAXONOMY_KEYS);
	const threshold = raw.threshold;
	if (threshold === undefined || threshold === null) report.error('threshold', 'is required');
	else if (typeof threshold !== 'number' || !(threshold > 0) || threshold >= 1) {
		report.error('threshold', `must be a number between 0 and 1, not ${describeType(threshold)}`);
	}
	const synonyms = readSynonyms(report, raw.synonyms);
	const topics = readEntries(report, raw.topics);
	if (report.failed) return null;
	return { topics, synonyms, threshold: threshold as number };
}

function readSynonyms(report: FileReport, value: unknown): string[][] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) {
		report.error('synonyms', `must be a list of groups of phrases, not ${describeType(value)}`);
		return [];
	}
	const groups: string[][] = [];
	value.forEach((group, index) => {
		const texts = optionalTextList(report, { group }, 'group', `synonyms[${index}]`);
		if (texts && texts.length < 2) report.error(`synonyms[${index}]`, 'needs at least two phrases');
		else if (texts) groups.push(texts);
	});
	return groups;
}

function readEntries(report: FileReport, value: unknown): TaxonomyEntry[] {
	if (!Array.isArray(value) || value.length === 0) {
		report.error(
			'topics',
			value === undefined ? 'is required' : 'must be a non-empty list of topics'
		);
		return [];
	}
	const entries: TaxonomyEntry[] = [];
	const seen = new Set<string>();
	value.forEach((item, index) => {
		const at = `topics[${index}]`;
		if (!isMapping(item)) {
			report.error(
				at,
				`must be a mapping {id, label, facet, description, terms}, not ${describeType(item)}`
			);
			return;
		}
		checkKeys(report, item, TAXONOMY_ENTRY_KEYS, `${at}.`);
		const id = requiredText(report, item, 'id', `${at}.id`) ?? '';
		if (id && !ID_PATTERN.test(id))
			report.error(`${at}.id`, `"${id}" must be lower-case letters, digits and hyphens`);
		if (id && seen.has(id)) report.error(`${at}.id`, `duplicate topic id "${id}"`);
		seen.add(id);
		const facet = requiredText(report, item, 'facet', `${at}.facet`);
		if (facet !== undefined && !(FACETS as readonly string[]).includes(facet)) {
			report.error(`${at}.facet`, `"${facet}" is not a facet (one of: ${FACETS.join(', ')})`);
		}
		entries.push({
			id,
			label: requiredText(report, item, 'label', `${at}.label`) ?? '',
			facet: facet as TopicFacet,
			description: requiredText(report, item, 'description', `${at}.description`) ?? '',
			terms: readTerms(report, item.terms, `${at}.terms`)
		});
	});
	return entries;
}

function readTerms(report: FileReport, value: unknown, at: string): TaxonomyTerm[] {
	if (!Array.isArray(value) || value.length === 0) {
		report.error(at, 'must be a non-empty list of {term, weight}');
		return [];
	}
	const terms: TaxonomyTerm[] = [];
	value.forEach((item, index) => {
		const field = `${at}[${index}]`;
		if (!isMapping(item)) {
			report.error(field, `must be {term, weight}, not ${describeType(item)}`);
			return;
		}
		checkKeys(report, item, ['term', 'weight'], `${field}.`);
		const term = requiredText(report, item, 'term', `${field}.term`);
		const weight = item.weight;
		if (typeof weight !== 'number' || !(weight > 0)) {
			report.error(`${field}.weight`, `must be a positive number, not ${describeType(weight)}`);
			return;
		}
		if (term !== undefined) terms.push({ term, weight });
	});
	return terms;
}

/** Removes keys whose value is undefined, so records serialise without empty fields. */
function dropUndefined<T extends object>(record: T): T {
	for (const key of Object.keys(record) as (keyof T)[]) {
		if (record[key] === undefined) delete record[key];
	}
	return record;
}
