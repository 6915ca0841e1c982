/**
 * Topic tagging: which taxonomy topics and methods a paper is about, with the evidence (which
 * terms, how often, on which PDF pages) so the portal can show why a paper carries a tag.
 *
 * Terms are matched on the shared tokenizer's terms, so `Grad-CAM`, `GradCAM`, `grad cam` and
 * `Grad-CAMs` all count for the term `grad-cam`; a term inside one of its `not` phrases (an idiom
 * or another sense) is not counted, so the evidence shown is exactly the evidence counted.
 */
import { compoundParts, fold, STOP_WORDS, stem, WORD } from '../text/normalise.ts';
import type { PaperSource, PaperTopic, Taxonomy, TaxonomyEntry, TopicEvidence } from '../types.ts';

/** Body occurrences are counted per this many words, so long and short papers compare. */
const WORDS_PER_RATE = 1000;
/** A floor on the word count so a near-empty PDF does not turn one mention into a high rate. */
const MIN_BODY_WORDS = 500;
/** How much one title/keyword/abstract mention counts next to the body rate. */
const METADATA_WEIGHT = 1;
/** Raw evidence of this size maps to a score of 1 - 1/e (about 0.63). */
const SCORE_SCALE = 3;

/**
 * Words that say a text is about interpretability at all. Measured on the reference corpus,
 * papers on explainability use them 2-44 times per 1000 words, dataset tools never.
 */
const ABOUT_INTERPRETABILITY = /^(?:interpretab|explainab|explain|explanation|xai$|saliency)/;
/** At this many core words per 1000 words of PDF text, a paper is in scope. */
const MIN_CORE_RATE = 2;
/**
 * Or: this many distinct strong (weight ≥ 2) taxonomy terms, so a paper all about causal models
 * or uncertainty is in scope without the core words; the three dataset tools reach 1-2.
 */
const MIN_STRONG_TERMS = 4;
const STRONG_WEIGHT = 2;
/** Inferred tags per facet: this many, plus one per `WORDS_PER_EXTRA_TAG` words of text. */
const BASE_TAGS_PER_FACET = 2;
const WORDS_PER_EXTRA_TAG = 2500;

// ---------------------------------------------------------------- term streams

/** One word part of a text, stemmed; compound tokens also offer their joined form at their start. */
interface Unit {
	part: string;
	/** For the first part of a compound token (`grad-cam`): the joined term and how many parts it covers. */
	joined?: { term: string; span: number };
}

/** Splits text into matching units: compound parts, stemmed, stop words left out. */
function unitsOf(text: string): Unit[] {
	return unitsOfWords(wordsOf(text));
}

/** The folded word tokens of a text (what `tokenize` in normalise.ts finds, without positions). */
function wordsOf(text: string): string[] {
	return fold(text).match(WORD) ?? [];
}

/** {@link unitsOf} for a text already split by {@link wordsOf}. */
function unitsOfWords(words: string[]): Unit[] {
	const units: Unit[] = [];
	for (const word of words) {
		const parts = compoundParts(word).filter((part) => !STOP_WORDS.has(part));
		if (parts.length === 0) continue;
		const first = units.length;
		for (const part of parts) units.push({ part: stem(part) });
		if (parts.length > 1) units[first].joined = { term: stem(parts.join('')), span: parts.length };
	}
	return units;
}

interface CompiledTerm {
	/** Taxonomy term as written, shown as evidence. */
	term: string;
	weight: number;
	topicIndex: number;
	/** Position in the compiled list, a cheap identity for de-duplicating matches. */
	index: number;
	parts: string[];
	/** All parts run together (`gradcam`), matching a one-word spelling in the text. */
	joined: string;
	/** A `not` phrase: its matches count for nothing and silence the terms inside them. */
	blocks: boolean;
}

interface CompiledTaxonomy {
	terms: CompiledTerm[];
	/** Terms by their first part and by their joined form, for lookup at each text position. */
	byFirstPart: Map<string, CompiledTerm[]>;
	byJoined: Map<string, CompiledTerm[]>;
}

const compiledCache = new WeakMap<Taxonomy, CompiledTaxonomy>();

function compile(taxonomy: Taxonomy): CompiledTaxonomy {
	const cached = compiledCache.get(taxonomy);
	if (cached) return cached;
	const compiled: CompiledTaxonomy = {
		terms: [],
		byFirstPart: new Map(),
		byJoined: new Map()
	};
	const add = (term: string, weight: number, topicIndex: number, blocks: boolean) => {
		const parts = unitsOf(term).map((unit) => unit.part);
		if (parts.length === 0) return null;
		const joined = stem(parts.join(''));
		const entry: CompiledTerm = {
			term,
			weight,
			topicIndex,
			index: compiled.terms.length,
			parts,
			joined,
			blocks
		};
		compiled.terms.push(entry);
		push(compiled.byFirstPart, parts[0], entry);
		if (parts.length > 1 || joined !== parts[0]) push(compiled.byJoined, joined, entry);
		return entry;
	};
	taxonomy.topics.forEach((topic, topicIndex) => {
		for (const { term, weight, not } of topic.terms) {
			const entry = add(term, weight, topicIndex, false);
			// A phrase no longer than its term (stop words dropped) would silence the term everywhere.
			for (const phrase of not ?? []) {
				if (entry && unitsOf(phrase).length > entry.parts.length) add(phrase, 0, topicIndex, true);
			}
		}
	});
	compiledCache.set(taxonomy, compiled);
	return compiled;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

interface Match {
	term: CompiledTerm;
	start: number;
	end: number;
}

/**
 * Finds every term occurrence in a stream. A match strictly inside a longer match is dropped, so
 * `Grad-CAM` is evidence for `grad-cam` and not also for a shorter term `cam`.
 */
function findMatches(units: Unit[], compiled: CompiledTaxonomy): Match[] {
	const longestAt = new Map<string, Match>();
	const record = (term: CompiledTerm, start: number, end: number) => {
		const key = `${term.index}@${start}`;
		const existing = longestAt.get(key);
		if (!existing || existing.end < end) longestAt.set(key, { term, start, end });
	};
	units.forEach((unit, start) => {
		for (const term of compiled.byFirstPart.get(unit.part) ?? []) {
			if (term.parts.every((part, offset) => units[start + offset]?.part === part)) {
				record(term, start, start + term.parts.length);
			}
		}
		for (const term of compiled.byJoined.get(unit.part) ?? []) record(term, start, start + 1);
		if (unit.joined) {
			const compound = [
				...(compiled.byJoined.get(unit.joined.term) ?? []),
				...(compiled.byFirstPart.get(unit.joined.term) ?? [])
			];
			for (const term of compound) {
				if (term.joined === unit.joined.term) record(term, start, start + unit.joined.span);
			}
		}
	});
	const matches = [...longestAt.values()];
	const widest = new Map<number, number>();
	let longestSpan = 1;
	for (const match of matches) {
		widest.set(match.start, Math.max(widest.get(match.start) ?? 0, match.end));
		longestSpan = Math.max(longestSpan, match.end - match.start);
	}
	return matches.filter((match) => {
		if (match.term.blocks) return false;
		for (let start = match.start - longestSpan + 1; start <= match.start; start++) {
			const end = widest.get(start);
			if (end === undefined || end < match.end) continue;
			if (start < match.start || end > match.end) return false;
		}
		return true;
	});
}

// ---------------------------------------------------------------- scoring

interface TermTally {
	term: CompiledTerm;
	metadataCount: number;
	bodyCount: number;
	pages: Set<number>;
}

/**
 * Tags a paper against the taxonomy. Curated `topics` always come first (source `curated`, score
 * 1); inferred topics follow, strongest first, when their score reaches `taxonomy.threshold`.
 *
 * `pages` are the normalised texts of the PDF pages (index 0 is page 1). Title, keywords and
 * abstract count as metadata, weighted higher than one body mention. An inferred score is in
 * [0, 1): weighted mentions per 1000 words (log-saturated) plus the metadata mentions. Evidence
 * `count` includes metadata mentions; `pages` lists only PDF pages (1-based).
 */
export function tagPaper(paper: PaperSource, pages: string[], taxonomy: Taxonomy): PaperTopic[] {
	const compiled = compile(taxonomy);
	const tallies = new Map<CompiledTerm, TermTally>();
	const tally = (term: CompiledTerm) => {
		let entry = tallies.get(term);
		if (!entry)
			tallies.set(term, (entry = { term, metadataCount: 0, bodyCount: 0, pages: new Set() }));
		return entry;
	};
	const countIn = (words: string[], page: number) => {
		// Two terms of one topic on the same words (heat map / heatmap) count once for that topic.
		const seen = new Set<string>();
		for (const match of findMatches(unitsOfWords(words), compiled)) {
			const key = `${match.term.topicIndex}:${match.start}:${match.end}`;
			if (seen.has(key)) continue;
			seen.add(key);
			const entry = tally(match.term);
			if (page === 0) entry.metadataCount += 1;
			else {
				entry.bodyCount += 1;
				entry.pages.add(page);
			}
		}
	};
	// Each text is split into words once: tokenizing every page twice was half of tagging.
	const metadata = [paper.title, ...(paper.keywords ?? []), paper.abstract ?? ''].map(wordsOf);
	for (const text of metadata) countIn(text, 0);
	let words = 0;
	let coreWords = 0;
	pages.forEach((text, index) => {
		const pageWords = wordsOf(text);
		words += pageWords.length;
		coreWords += pageWords.filter((word) => ABOUT_INTERPRETABILITY.test(word)).length;
		countIn(pageWords, index + 1);
	});
	// With the full text at hand, a paper must be in the taxonomy's scope to get inferred topics:
	// dense in the core words, or broad in strong topic terms; a metadata-only record is judged
	// on its metadata terms alone.
	const strongTerms = [...tallies.values()].filter(
		(entry) => entry.term.weight >= STRONG_WEIGHT && entry.bodyCount + entry.metadataCount > 0
	).length;
	const aboutInterpretability =
		words === 0 ||
		(coreWords * WORDS_PER_RATE) / words >= MIN_CORE_RATE ||
		strongTerms >= MIN_STRONG_TERMS ||
		metadata.some((text) => text.some((word) => ABOUT_INTERPRETABILITY.test(word)));
	// A short text names many methods in passing; it can carry only a few inferred tags.
	const metadataWords = metadata.reduce((sum, text) => sum + text.length, 0);
	const tagsPerFacet =
		BASE_TAGS_PER_FACET + Math.floor((words + metadataWords) / WORDS_PER_EXTRA_TAG);

	const perThousand = WORDS_PER_RATE / Math.max(words, MIN_BODY_WORDS);
	const byTopic = new Map<
		number,
		{ raw: number; evidence: { contribution: number; evidence: TopicEvidence }[] }
	>();
	for (const entry of tallies.values()) {
		const { weight, topicIndex } = entry.term;
		const contribution =
			weight * Math.log(1 + entry.bodyCount * perThousand) +
			weight * METADATA_WEIGHT * Math.log2(1 + entry.metadataCount);
		const topic = byTopic.get(topicIndex) ?? { raw: 0, evidence: [] };
		topic.raw += contribution;
		topic.evidence.push({
			contribution,
			evidence: {
				term: entry.term.term,
				count: entry.metadataCount + entry.bodyCount,
				pages: [...entry.pages].sort((a, b) => a - b)
			}
		});
		byTopic.set(topicIndex, topic);
	}

	const evidenceOf = (topicIndex: number): TopicEvidence[] =>
		(byTopic.get(topicIndex)?.evidence ?? [])
			.sort(
				(a, b) => b.contribution - a.contribution || a.evidence.term.localeCompare(b.evidence.term)
			)
			.map((item) => item.evidence);
	const topicOf = (
		entry: TaxonomyEntry,
		source: PaperTopic['source'],
		score: number,
		index: number
	): PaperTopic => ({
		id: entry.id,
		label: entry.label,
		facet: entry.facet,
		source,
		score,
		evidence: evidenceOf(index)
	});

	const result: PaperTopic[] = [];
	const curated = new Set<string>();
	for (const id of paper.topics ?? []) {
		const index = taxonomy.topics.findIndex((entry) => entry.id === id);
		if (index < 0 || curated.has(id)) continue;
		curated.add(id);
		result.push(topicOf(taxonomy.topics[index], 'curated', 1, index));
	}
	const inferred: PaperTopic[] = [];
	for (const [index, { raw }] of byTopic) {
		const entry = taxonomy.topics[index];
		const score = Math.round((1 - Math.exp(-raw / SCORE_SCALE)) * 1000) / 1000;
		if (!aboutInterpretability || curated.has(entry.id) || score < taxonomy.threshold) continue;
		inferred.push(topicOf(entry, 'inferred', score, index));
	}
	inferred.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
	const perFacet = new Map<string, number>();
	const kept = inferred.filter((topic) => {
		const count = perFacet.get(topic.facet) ?? 0;
		perFacet.set(topic.facet, count + 1);
		return count < tagsPerFacet;
	});
	return [...result, ...kept];
}
