/**
 * The shape of the three kinds of YAML file in `papers/` (taxonomy, edition, paper), as valibot
 * schemas: the corpus types in `../types.ts` are inferred from them, and every message reads
 * `<file>: <field>: <problem>` as a curator would want it. To add a field, add one entry to the
 * schema object below; its type, its key check and its messages follow.
 */
import * as v from 'valibot';
import type { IngestIssue } from '../types.ts';
import { describeType, FileReport, isMapping } from './fields.ts';
import { arxivProblem, bareOrcid, doiProblem, nearestKey, orcidProblem } from './identifiers.ts';

/** How a paper was presented; also the `type` filter of the search page. */
/** `paper`: in the proceedings, presentation format (oral or poster) not recorded. */
export const PAPER_TYPES = ['oral', 'poster', 'keynote', 'invited', 'paper'] as const;
const FACETS = ['topic', 'method'] as const;

/** Ids are file stems and folder names that end up in URLs: lower case, digits, hyphens. */
/** A paper or edition id: its file or folder name, lower-case words joined by hyphens. */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// ---------------------------------------------------------------- building blocks

type Issue = v.BaseIssue<unknown>;

/** "is required" for a missing value, else "must be <expected>, not <what YAML gave>". */
function typeMessage(expected: string, required = 'is required') {
	return (issue: Issue) =>
		issue.input === undefined ? required : `must be ${expected}, not ${describeType(issue.input)}`;
}

/** Non-empty text, trimmed; numbers are refused so that YAML's silent conversions never slip by. */
function text(required?: string) {
	return v.pipe(v.string(typeMessage('text', required)), v.trim(), v.nonEmpty('is empty'));
}

const textList = v.array(text(), typeMessage('a list of texts'));

const url = v.pipe(
	text(),
	v.regex(/^https?:\/\/[^\s/]+\.[^\s]+$/i, (issue) => `"${issue.input}" is not an http(s) URL`)
);

/** A DOI or arXiv id: quoted text that `problemOf` accepts. */
function identifier(problemOf: (value: string) => string | null) {
	return v.pipe(
		v.string((issue) =>
			typeof issue.input === 'number'
				? // YAML reads an unquoted 2301.01230 as a number and drops the trailing zero.
					`must be quoted text: YAML read it as the number ${issue.input}`
				: typeMessage('text')(issue)
		),
		v.trim(),
		v.nonEmpty('is empty'),
		v.check(
			(value) => problemOf(value) === null,
			(issue) => `${problemOf(String(issue.input))}`
		)
	);
}

/** One of `options`, named in the message when the value is another text. */
function oneOf<const T extends readonly string[]>(options: T, what: string) {
	return v.pipe(
		text(),
		v.picklist(
			options,
			(issue) => `"${issue.input}" is not ${what} (one of: ${options.join(', ')})`
		)
	);
}

/** A positive number that passes `check`, else "must be <expected>, not …". */
function numberWhere(expected: string, check: (value: number) => boolean) {
	return v.pipe(v.number(typeMessage(expected)), v.check(check, typeMessage(expected)));
}

const UNKNOWN_KEY = 'unknown key';
/** Longest key name an issue repeats: a longer one is cut, so a report never echoes a file. */
const MAX_KEY_SHOWN = 40;

/**
 * A mapping none of whose keys (three or more) is known is some other file read as YAML (a
 * password list, say): it is reported once, without repeating its keys.
 */
function isForeignMapping(fields: Record<string, unknown>, known: readonly string[]): boolean {
	const keys = Object.keys(fields);
	return keys.length >= 3 && keys.every((key) => !known.includes(key));
}

/**
 * A YAML mapping with exactly these keys. Empty values (`key:` with nothing after it) count as
 * missing, and a missing required key is passed to its schema as undefined so that the field's
 * own "is required" message is the one reported.
 */
function mapping<const E extends v.ObjectEntries>(entries: E, shape: string) {
	const known = Object.keys(entries);
	const required = known.filter((key) => entries[key].type !== 'optional');
	return v.pipe(
		v.custom<Record<string, unknown>>(isMapping, (issue) => {
			return `must be ${shape}, not ${describeType(issue.input)}`;
		}),
		v.rawTransform(({ dataset, addIssue, NEVER }) => {
			const fields = dataset.value;
			if (isForeignMapping(fields, known)) {
				addIssue({
					message: `none of its ${Object.keys(fields).length} keys is one Glassbox knows (known keys: ${known.join(', ')}): not read`
				});
				return NEVER;
			}
			const present = Object.entries(fields).filter(([, value]) => value !== null);
			return {
				...Object.fromEntries(required.map((key) => [key, undefined])),
				...Object.fromEntries(present)
			};
		}),
		v.strictObject(entries, (issue) => {
			const key = String(issue.path?.at(-1)?.key);
			const suggestion = nearestKey(key, known);
			return suggestion
				? `${UNKNOWN_KEY} (did you mean "${suggestion}"?)`
				: `${UNKNOWN_KEY} (known keys: ${known.join(', ')})`;
		})
	);
}

// ---------------------------------------------------------------- paper

const authorEntry = mapping(
	{
		name: text(),
		affiliation: v.optional(text()),
		orcid: v.optional(
			v.pipe(
				text(),
				v.check(
					(value) => orcidProblem(value) === null,
					(issue) => `${orcidProblem(String(issue.input))}`
				),
				v.transform(bareOrcid)
			)
		),
		/** Other spellings of the same name seen in sources (kept for matching, never displayed first). */
		aliases: v.optional(textList)
	},
	'a name or {name, affiliation, orcid}'
);

/** An author given as a bare name becomes `{ name }`; a blank one is reported where it stands. */
function bareNameAsAuthor({ dataset, addIssue, NEVER }: v.RawTransformContext<unknown>): unknown {
	if (typeof dataset.value !== 'string') return dataset.value;
	if (dataset.value.trim()) return { name: dataset.value };
	addIssue({ message: 'is empty' });
	return NEVER;
}

const PAGE_RANGE = /^[\divxlc]+(?:\s*[-–]\s*[\divxlc]+)?$/i;

/** The fields of `papers/<edition>/<id>.yaml`, in the order an import writes them. */
const paperFields = {
	title: text(),
	authors: v.pipe(
		v.array(
			v.pipe(v.unknown(), v.rawTransform(bareNameAsAuthor), authorEntry),
			typeMessage(
				'a list of authors',
				'is required (a list of names or {name, affiliation, orcid})'
			)
		),
		v.minLength(1, 'is empty: at least one author is required')
	),
	type: v.optional(oneOf(PAPER_TYPES, 'a paper type')),
	award: v.optional(text()),
	abstract: v.optional(text()),
	keywords: v.optional(textList),
	topics: v.optional(textList),
	doi: v.optional(identifier(doiProblem)),
	arxiv: v.optional(identifier(arxivProblem)),
	url: v.optional(url),
	code: v.optional(url),
	pages: v.optional(
		v.pipe(
			v.union(
				[
					v.pipe(
						v.number(),
						v.check(
							(n) => Number.isInteger(n) && n > 0,
							typeMessage('a page range (e.g. 124-132)')
						),
						v.transform(String)
					),
					v.string()
				],
				typeMessage('text')
			),
			v.trim(),
			v.nonEmpty('is empty'),
			v.regex(PAGE_RANGE, (issue) => `"${issue.input}" is not a page range (e.g. 124-132)`),
			v.transform((pages) => pages.replace(/\s*[-–]\s*/, '-'))
		)
	),
	pdf_url: v.optional(url),
	license: v.optional(text()),
	/** Where each fact came from (free text), kept for curators. */
	sources: v.optional(textList),
	/** Curator's caveats about the facts (unverified names, other spellings). */
	notes: v.optional(text())
};

const paperFileSchema = mapping(paperFields, 'a mapping of fields (title, authors, ...)');

/** The keys of a paper file, in the order an import writes them. */
export const PAPER_KEYS = Object.keys(paperFields);

export type PaperType = (typeof PAPER_TYPES)[number];
export type Author = v.InferOutput<typeof authorEntry>;
/** A paper as written in `papers/<edition>/<id>.yaml`, after validation. */
export type PaperSource = v.InferOutput<typeof paperFileSchema> & {
	id: string;
	edition: string;
	/** Path of the YAML file relative to the papers directory, for messages. */
	file: string;
	/** Absolute path of the paper's PDF, when one sits beside the YAML. */
	pdfPath?: string;
};

interface PaperContext {
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
	if (isMapping(raw) && !ID_PATTERN.test(context.id)) {
		report.error(
			'id',
			`file name "${context.id}" must be lower-case letters, digits and single hyphens (it becomes the paper's URL)`
		);
	}
	const fields = parseInto(paperFileSchema, raw, report);
	if (!fields) return null;
	fields.topics?.forEach((topic, index) => {
		if (context.topicIds && !context.topicIds.has(topic)) {
			report.error(
				`topics[${index}]`,
				`unknown topic id "${topic}" (not in taxonomy.yaml${closestTopic(topic, context.topicIds)})`
			);
		}
	});
	if (report.failed) return null;
	return { id: context.id, edition: context.edition, ...fields, file: context.file };
}

function closestTopic(topic: string, topicIds: ReadonlySet<string>): string {
	const folded = topic.toLowerCase().replace(/[\s_]+/g, '-');
	if (topicIds.has(folded)) return `; did you mean "${folded}"?`;
	const prefix = [...topicIds].find((id) => id.startsWith(folded) || folded.startsWith(id));
	return prefix ? `; did you mean "${prefix}"?` : '';
}

// ---------------------------------------------------------------- edition

/** The fields of `papers/<edition>/edition.yaml`; required ones first, as they are reported. */
const editionFileSchema = mapping(
	{
		title: text(),
		year: numberWhere(
			'a four-digit year',
			(year) => Number.isInteger(year) && year >= 1900 && year <= 2200
		),
		/** False when the listing is known to be partial. */
		complete: v.boolean(
			typeMessage('true or false', 'is required (true when every paper of the edition is listed)')
		),
		venue: v.optional(text()),
		location: v.optional(text()),
		/** ISO date (YYYY-MM-DD) of the workshop day. */
		date: v.optional(
			v.pipe(
				v.union(
					[
						v.pipe(
							v.date(),
							v.transform((date) => date.toISOString().slice(0, 10))
						),
						v.string()
					],
					typeMessage('text')
				),
				v.trim(),
				v.check(isCalendarDate, (issue) => `"${issue.input}" is not a date in the form YYYY-MM-DD`)
			)
		),
		doi: v.optional(identifier(doiProblem)),
		series: v.optional(text()),
		volume: v.optional(numberWhere('a whole number', (n) => Number.isInteger(n) && n > 0)),
		editors: v.optional(textList),
		notes: v.optional(text()),
		url: v.optional(url),
		/** Where the edition's facts came from (free text), kept for curators. */
		sources: v.optional(textList)
	},
	'a mapping of fields (title, year, complete, ...)'
);

/** True for YYYY-MM-DD naming a day that exists (not 2024-13-01 or 2023-02-29). */
function isCalendarDate(text: string): boolean {
	const day = new Date(`${text}T00:00:00Z`);
	return (
		/^\d{4}-\d{2}-\d{2}$/.test(text) &&
		!Number.isNaN(day.getTime()) &&
		day.toISOString().slice(0, 10) === text
	);
}

export type Edition = { id: string } & v.InferOutput<typeof editionFileSchema>;

/** Validates one parsed `edition.yaml`; returns the edition, or null when it has an error. */
export function validateEdition(raw: unknown, id: string, report: FileReport): Edition | null {
	if (isMapping(raw) && !ID_PATTERN.test(id)) {
		report.error('id', `folder name "${id}" must be lower-case letters, digits and single hyphens`);
	}
	const fields = parseInto(editionFileSchema, raw, report);
	return fields && !report.failed ? { id, ...fields } : null;
}

// ---------------------------------------------------------------- taxonomy

/**
 * A weighted evidence term: its presence in a paper's text counts towards the topic, except
 * inside one of its `not` phrases (idioms and other senses: "paid attention", "design prototype").
 */
const termEntry = mapping(
	{
		term: text(),
		weight: numberWhere('a positive number', (weight) => weight > 0),
		not: v.optional(textList)
	},
	'{term, weight, not?}'
);

const taxonomyEntry = mapping(
	{
		id: v.pipe(
			text(),
			v.regex(
				ID_PATTERN,
				(issue) => `"${issue.input}" must be lower-case letters, digits and hyphens`
			)
		),
		label: text(),
		facet: oneOf(FACETS, 'a facet'),
		description: text(),
		terms: v.pipe(
			v.array(termEntry, 'must be a non-empty list of {term, weight}'),
			v.minLength(1, 'must be a non-empty list of {term, weight}')
		)
	},
	'a mapping {id, label, facet, description, terms}'
);

/** The fields of `papers/taxonomy.yaml`. */
const taxonomyFileSchema = mapping(
	{
		/** Minimum inferred score for a topic to be attached to a paper. */
		threshold: numberWhere(
			'a number between 0 and 1',
			(threshold) => threshold > 0 && threshold < 1
		),
		/** Groups of equivalent phrases (e.g. saliency map ~ heatmap) used to expand queries. */
		synonyms: v.optional(
			v.array(
				v.pipe(textList, v.minLength(2, 'needs at least two phrases')),
				typeMessage('a list of groups of phrases')
			),
			[]
		),
		topics: v.pipe(
			v.array(taxonomyEntry, typeMessage('a non-empty list of topics')),
			v.minLength(1, 'must be a non-empty list of topics')
		)
	},
	'a mapping with threshold, synonyms and topics'
);

export type TopicFacet = (typeof FACETS)[number];
export type TaxonomyTerm = v.InferOutput<typeof termEntry>;
export type TaxonomyEntry = v.InferOutput<typeof taxonomyEntry>;
export type Taxonomy = v.InferOutput<typeof taxonomyFileSchema>;

/** Validates the parsed `taxonomy.yaml`; returns the taxonomy, or null when it has an error. */
export function validateTaxonomy(raw: unknown, report: FileReport): Taxonomy | null {
	const taxonomy = parseInto(taxonomyFileSchema, raw, report);
	const seen = new Set<string>();
	taxonomy?.topics.forEach(({ id }, index) => {
		if (seen.has(id)) report.error(`topics[${index}].id`, `duplicate topic id "${id}"`);
		seen.add(id);
	});
	return taxonomy && !report.failed ? taxonomy : null;
}

// ---------------------------------------------------------------- reporting

/**
 * Parses `raw` with `schema`, reporting every issue as `<field>: <problem>`; unknown keys first,
 * since a misspelt key is often why a required field looks missing.
 */
function parseInto<S extends v.GenericSchema>(
	schema: S,
	raw: unknown,
	report: FileReport
): v.InferOutput<S> | null {
	const result = v.safeParse(schema, raw);
	if (result.success) return result.output;
	const issues: Omit<IngestIssue, 'file' | 'severity'>[] = result.issues.map((issue) => ({
		field: fieldPath(issue.path),
		message: issue.message
	}));
	const unknownFirst = [
		...issues.filter((issue) => issue.message.startsWith(UNKNOWN_KEY)),
		...issues.filter((issue) => !issue.message.startsWith(UNKNOWN_KEY))
	];
	for (const issue of unknownFirst) report.error(issue.field, issue.message);
	return null;
}

/** A key as an issue may repeat it: control characters replaced, cut at `MAX_KEY_SHOWN`. */
function shownKey(key: string): string {
	const shown = key.replace(/\p{Cc}/gu, '?');
	return shown.length > MAX_KEY_SHOWN ? `${shown.slice(0, MAX_KEY_SHOWN)}…` : shown;
}

/** `authors[1].name` from valibot's path; undefined for the file as a whole. */
function fieldPath(path: v.IssuePathItem[] | undefined): string | undefined {
	if (!path?.length) return undefined;
	return path
		.map(({ key }) => (typeof key === 'number' ? `[${key}]` : `.${shownKey(String(key))}`))
		.join('')
		.replace(/^\./, '');
}
