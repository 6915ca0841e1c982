/**
 * Every shape that crosses a module boundary in Glassbox: the corpus as written in `papers/`,
 * the catalog the ingest builds, the search API and the ingest report. Types only.
 */

// ---------------------------------------------------------------- taxonomy

export type TopicFacet = 'topic' | 'method';

/** A weighted evidence term: its presence in a paper's text counts towards the topic. */
export interface TaxonomyTerm {
	term: string;
	weight: number;
}

export interface TaxonomyEntry {
	id: string;
	label: string;
	facet: TopicFacet;
	description: string;
	terms: TaxonomyTerm[];
}

export interface Taxonomy {
	topics: TaxonomyEntry[];
	/** Groups of equivalent phrases (e.g. saliency map ~ heatmap) used to expand queries. */
	synonyms: string[][];
	/** Minimum inferred score for a topic to be attached to a paper. */
	threshold: number;
}

// ---------------------------------------------------------------- corpus (papers/)

/** `paper`: in the proceedings, presentation format (oral or poster) not recorded. */
export type PaperType = 'oral' | 'poster' | 'keynote' | 'invited' | 'paper';

export interface Author {
	name: string;
	affiliation?: string;
	orcid?: string;
	/** Other spellings of the same name seen in sources (kept for matching, never displayed first). */
	aliases?: string[];
}

export interface Keynote {
	speaker: string;
	affiliation?: string;
	title: string;
}

export interface Edition {
	id: string;
	title: string;
	year: number;
	venue?: string;
	location?: string;
	/** ISO date (YYYY-MM-DD) of the workshop day. */
	date?: string;
	doi?: string;
	series?: string;
	volume?: number;
	editors?: string[];
	/** False when the listing is known to be partial. */
	complete: boolean;
	notes?: string;
	url?: string;
	/** Where the edition's facts came from (free text), kept for curators. */
	sources?: string[];
}

/** A paper as written in `papers/<edition>/<id>.yaml`, after validation. */
export interface PaperSource {
	id: string;
	edition: string;
	title: string;
	authors: Author[];
	type?: PaperType;
	award?: string;
	abstract?: string;
	keywords?: string[];
	topics?: string[];
	doi?: string;
	arxiv?: string;
	url?: string;
	code?: string;
	pages?: string;
	pdf_url?: string;
	license?: string;
	/** Where each fact came from (free text), kept for curators. */
	sources?: string[];
	/** Curator's caveats about the facts (unverified names, other spellings). */
	notes?: string;
	/** Path of the YAML file relative to the papers directory, for messages. */
	file: string;
	/** Absolute path of the paper's PDF, when one sits beside the YAML. */
	pdfPath?: string;
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

export interface PdfInfo {
	/** File name inside the build's pdf store (content addressed). */
	sha256: string;
	bytes: number;
	pageCount: number;
	/** Where the PDF came from: the papers folder or a fetched open-access copy. */
	origin: 'local' | 'fetched';
	/** Present when the store holds a JPEG of page one (the reader shows it until pdf.js is ready). */
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
	/** Author profiles from `buildAuthorIndex` (src/lib/server/authors.ts). */
	authors: AuthorIndex;
	/** Five most similar papers per paper id, from `computeSimilarity` (src/lib/server/similar.ts). */
	similar: Record<string, SimilarPaper[]>;
	/** Every paper as a point in 2D from the same TF-IDF vectors (PCA), for `/map`. */
	map: MapPoint[];
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
	/** Synonyms the query was expanded with ("also matching: heatmap"). */
	expansions: string[];
}

// ---------------------------------------------------------------- ingest

export type IssueSeverity = 'error' | 'warning';

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
}
