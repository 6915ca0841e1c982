/**
 * Every shape that crosses a module boundary in Glassbox: the corpus as written in `papers/`,
 * the catalog the ingest builds, the search API and the ingest report. Types only.
 */

// ---------------------------------------------------------------- corpus (papers/)

/*
 * The corpus files' types are inferred from their schemas, which also validate them: one
 * definition for the shape, the checks and the messages.
 */
export type {
	Author,
	Edition,
	PaperSource,
	PaperType,
	Taxonomy,
	TaxonomyEntry,
	TaxonomyTerm,
	TopicFacet
} from './corpus/schema.ts';
import type { Author, Edition, PaperType, Taxonomy, TopicFacet } from './corpus/schema.ts';

export interface Keynote {
	speaker: string;
	affiliation?: string;
	title: string;
}

// ---------------------------------------------------------------- catalog (built by ingest)

export interface TopicEvidence {
	term: string;
	count: number;
	pages: number[];
}

export interface PaperTopic {
	id: string;
	label: string;
	facet: TopicFacet;
	source: 'curated' | 'inferred';
	score: number;
	evidence: TopicEvidence[];
}

interface PdfInfo {
	/** File name inside the build's pdf store (content addressed). */
	sha256: string;
	bytes: number;
	pageCount: number;
	/** Where the PDF came from: the papers folder or a fetched open-access copy. */
	origin: 'local' | 'fetched';
	/**
	 * Page one's size, when pdf.js gave it: the reader then shows page one's JPEG (drawn by the
	 * server on first need, or ahead of it when idle) until pdf.js is ready.
	 */
	preview?: PreviewInfo;
}

/** Page one's size in PDF points, which is also the shape of its preview JPEG. */
export interface PreviewInfo {
	width: number;
	height: number;
}

export interface Paper {
	id: string;
	edition: string;
	year: number;
	title: string;
	authors: Author[];
	type: PaperType | null;
	award: string | null;
	abstract: string | null;
	abstractSource: 'curated' | 'pdf' | null;
	keywords: string[];
	topics: PaperTopic[];
	doi: string | null;
	arxiv: string | null;
	url: string | null;
	code: string | null;
	pages: string | null;
	license: string | null;
	/** Where an open-access copy of the PDF lives elsewhere (`pdf_url`, else arXiv), for linking out. */
	pdfUrl: string | null;
	pdf: PdfInfo | null;
	/** YAML path relative to the papers directory. */
	file: string;
	/** Words of PDF text indexed (0 without a PDF). */
	words: number;
}

export interface Catalog {
	builtAt: string;
	/** Newest first. */
	editions: Edition[];
	papers: Paper[];
	taxonomy: Taxonomy;
	/** Author profiles from `buildAuthorIndex` (src/lib/corpus/authors.ts). */
	authors: AuthorIndex;
	/** Five most similar papers per paper id, from `computeSimilarity` (src/lib/corpus/similar.ts). */
	similar: Record<string, SimilarPaper[]>;
	/** Every paper as a point in 2D from the same TF-IDF vectors (PCA), for `/map`. */
	map: MapPoint[];
}

/**
 * A figure on a PDF page (an image or a cluster of vector drawing): its box in fractions of the
 * page from the top left, the page's shape, and where it sits in the page's indexed text.
 */
export interface PageFigure {
	x: number;
	y: number;
	width: number;
	height: number;
	/** Page height over page width, so the box can be cut from the page image alone. */
	pageAspect: number;
	/** Offset in the page text before which the figure is read (a word start, or the text's end). */
	at: number;
	/**
	 * Spans of the page text printed inside the figure (axis ticks, legends): the figure's image
	 * shows them, so the text view leaves them out; the indexed text keeps them.
	 */
	labels: TextSpan[];
}

/** Characters `[start, end)` of a text. */
export interface TextSpan {
	start: number;
	end: number;
}

/** What `/papers/<id>/text.json` answers: the indexed text of every page, page one first. */
export interface PaperTexts {
	pages: string[];
}

/** One person, after ORCID, name folding and curator aliases have been applied. */
export interface AuthorProfile {
	/** URL slug, unique (`luisa-gallee`). */
	id: string;
	/** The spelling shown. */
	name: string;
	/** Other spellings seen for this person (never shown first). */
	variants: string[];
	orcid: string | null;
	affiliations: string[];
	/** Paper ids, newest edition first. */
	papers: string[];
	/** People who wrote with this one, most shared papers first. */
	coauthors: { id: string; name: string; papers: number }[];
}

export interface AuthorIndex {
	authors: AuthorProfile[];
	/** Paper id → the author profile id of each byline position, in byline order. */
	byPaper: Record<string, string[]>;
}

export interface SimilarPaper {
	id: string;
	/** Cosine similarity of the TF-IDF vectors, 0..1. */
	score: number;
	/** The terms that weigh most in both papers, strongest first. */
	terms: string[];
}

export interface MapPoint {
	id: string;
	/** Coordinates scaled to -1..1 on the wider axis. */
	x: number;
	y: number;
}

// ---------------------------------------------------------------- search

/** One indexed document: a page of a paper's PDF, or page 0 for its metadata. */
export interface PageDocument {
	/** `${paperId}#${page}` */
	id: string;
	paperId: string;
	page: number;
	title: string;
	authors: string;
	abstract: string;
	keywords: string;
	topics: string;
	body: string;
	/** The part `[start, end)` of `body` in the paper's reference list (see corpus/references.ts). */
	references?: [number, number];
}

export interface SearchParams {
	q: string;
	topic: string[];
	method: string[];
	edition: string[];
	year: number[];
	type: string[];
	award: boolean;
	sort: 'relevance' | 'year';
	limit: number;
	offset: number;
}

export interface Snippet {
	page: number;
	/** HTML-escaped text with the matched words wrapped in `<mark>`. */
	text: string;
	/** The words were matched in the paper's reference list. */
	inReferences?: boolean;
}

export interface SearchHit {
	id: string;
	title: string;
	authors: string[];
	edition: string;
	year: number;
	type: PaperType | null;
	award: string | null;
	topics: PaperTopic[];
	score: number;
	/** PDF pages that matched, ascending. */
	pages: number[];
	snippets: Snippet[];
	/** The query matched this paper only in its reference list: it cites the subject. */
	inReferences: boolean;
	url: string;
	pdf: string | null;
}

export type FacetCounts = Record<string, number>;

export interface SearchResponse {
	query: string;
	total: number;
	hits: SearchHit[];
	facets: {
		topic: FacetCounts;
		method: FacetCounts;
		edition: FacetCounts;
		year: FacetCounts;
		type: FacetCounts;
		award: FacetCounts;
	};
	sort: 'relevance' | 'year';
	/** A corrected query when the typed one looks misspelt, else null. */
	suggestion: string | null;
	/**
	 * Part of the query was not searched (its work budget ran out, or it was longer than the
	 * parser reads): the results are what was found, and may lack matches.
	 */
	partial: boolean;
	/** Synonyms the query was expanded with ("also matching: heatmap"). */
	expansions: string[];
}

// ---------------------------------------------------------------- ingest

type IssueSeverity = 'error' | 'warning';

/** A problem with one input file, reported as `<file>: <field>: <message>`. */
export interface IngestIssue {
	file: string;
	field?: string;
	message: string;
	severity: IssueSeverity;
}

export interface IngestReport {
	startedAt: string;
	seconds: number;
	papers: number;
	papersWithPdf: number;
	pages: number;
	words: number;
	extracted: number;
	reused: number;
	/** Papers listed without full text because their PDF could not be read. */
	degraded: number;
	issues: IngestIssue[];
	/** 0 all ingested; 2 built with papers skipped or degraded; 1 nothing built. */
	exitCode: 0 | 1 | 2;
	/** Wall time of each stage in seconds (read, hash, extract, tag, similarity, index…). */
	stages?: Record<string, number>;
}
