/**
 * Compiling a parsed query into score nodes: each typed word expands to its exact term, a
 * compound written apart or together, prefix completions and typo corrections, and synonyms
 * from the taxonomy, at decreasing weights; quoted phrases become phrase nodes.
 */
import type { Taxonomy } from '../types.ts';
import {
	compoundParts,
	indexTerms,
	positionalTerm,
	stem,
	termsOfToken,
	tokenize
} from '../text/normalise.ts';
import type { IndexData } from './index-data.ts';
import type { MetadataSearch } from './metadata-search.ts';
import {
	MATCH_WEIGHTS,
	MIN_PREFIX_LENGTH,
	fuzzyDistance,
	isMetadataField,
	type IndexedField
} from './options.ts';
import { bytePhrase, pairBits } from './phrase-filter.ts';
import type { Clause, ParsedQuery, PhraseClause, TermClause } from './query.ts';
import type { CompiledClause, PhraseNode, ScoreNode, TermsNode, Variant } from './score-nodes.ts';
import { inflectedForms, wordsOfPhrase, type Phrase } from '../text/phrase.ts';
import type { BodyVocabulary } from './vocabulary.ts';

/** How a word was typed: plain, as a compound with connectors (`u-net`), or as an acronym. */
type TypedKind = 'word' | 'compound' | 'acronym';

/** Shortest joined compound (`grad-cam` → 8 letters less one) that is typo tolerant. */
const MIN_FUZZY_COMPOUND = 7;

/** Whether a clause must match for a paper to be a result: a field says what the user wants. */
function isRequired(clause: Clause): boolean {
	if (clause.kind === 'or') return clause.children.every((child) => child.field !== null);
	return clause.kind === 'phrase' || clause.field !== null;
}

interface SynonymPhrase {
	text: string;
	/** Folded tokens, stop words included. */
	tokens: string[];
	/** Index terms of each token joined, for matching typed words written either way. */
	key: string;
	terms: string[];
	group: number;
}

/**
 * The index terms a text holding the phrase has at the phrase's words, by word (offset from the
 * phrase's start): what lets a phrase be checked on word positions before its text is read.
 * Stop words and single letters leave no such term. An inflected word (`map` ~ `maps`) has the
 * terms of its forms, usually one.
 */
function phraseWordTerms(
	words: string[],
	inflected: boolean
): { terms: string[]; offset: number }[] {
	const found: { terms: string[]; offset: number }[] = [];
	words.forEach((word, offset) => {
		const forms = inflected ? inflectedForms(word) : [word];
		const terms = forms.map(positionalTerm);
		if (terms.every((term) => term !== null)) found.push({ terms: [...new Set(terms)], offset });
	});
	return found;
}

export class QueryCompiler {
	readonly #data: IndexData;
	readonly #body: BodyVocabulary;
	readonly #metadata: MetadataSearch;
	readonly #synonyms: SynonymPhrase[] = [];

	constructor(data: IndexData, body: BodyVocabulary, metadata: MetadataSearch, taxonomy: Taxonomy) {
		this.#data = data;
		this.#body = body;
		this.#metadata = metadata;
		taxonomy.synonyms.forEach((group, index) => {
			for (const text of group) {
				const tokens = tokenize(text).map((token) => token.text);
				const key = tokens.map((token) => termsOfToken(token)[0] ?? '').join('');
				this.#synonyms.push({ text, tokens, key, terms: indexTerms(text), group: index });
			}
		});
	}

	/** The query's clauses as score nodes; adds the synonyms it searched for to `expansions`. */
	compile(parsed: ParsedQuery, expansions: string[]): CompiledClause[] {
		const compiled: CompiledClause[] = [];
		const lastTermIndex = parsed.clauses.findLastIndex((clause) => clause.kind === 'term');
		for (let i = 0; i < parsed.clauses.length; i++) {
			const clause = parsed.clauses[i];
			const synonym = this.#synonymSpan(parsed.clauses, i);
			if (synonym) {
				const own = parsed.clauses
					.slice(i, i + synonym.width)
					.map((part) =>
						this.compileText(part as TermClause, false, i + synonym.width - 1 === lastTermIndex)
					)
					.filter((node): node is ScoreNode => node !== null);
				const children: { node: ScoreNode; weight: number }[] = [];
				if (own.length) children.push({ node: { kind: 'all', children: own }, weight: 1 });
				const joined = synonym.width === 2 ? this.#joinedPair(parsed.clauses, i) : null;
				if (joined !== null) children.push({ node: joined, weight: MATCH_WEIGHTS.compound });
				for (const other of synonym.others) {
					const node = this.#synonymNode(other);
					if (node) {
						children.push({ node, weight: MATCH_WEIGHTS.synonym });
						if (!expansions.includes(other.text)) expansions.push(other.text);
					}
				}
				if (children.length)
					compiled.push({
						node: { kind: 'best', children },
						width: synonym.width,
						required: false
					});
				i += synonym.width - 1;
				continue;
			}
			const joined = this.#joinedPair(parsed.clauses, i);
			if (joined) {
				const own = [clause, parsed.clauses[i + 1]]
					.map((part) => this.compileText(part as TermClause, false, i + 1 === lastTermIndex))
					.filter((node): node is ScoreNode => node !== null);
				// `grad cam` typed apart also finds `GradCAM` written together.
				const children = [{ node: joined, weight: MATCH_WEIGHTS.compound }];
				if (own.length === 2) children.push({ node: { kind: 'all', children: own }, weight: 1 });
				compiled.push({ node: { kind: 'best', children }, width: 2, required: false });
				i += 1;
				continue;
			}
			const node =
				clause.kind === 'or'
					? this.#compileOr(clause.children)
					: this.compileText(clause, false, i === lastTermIndex);
			if (node) compiled.push({ node, width: 1, required: isRequired(clause) });
		}
		return compiled;
	}

	/** A typed word or phrase as a score node; `exactOnly` for exclusions (no guessing there). */
	compileText(
		clause: TermClause | PhraseClause,
		exactOnly: boolean,
		isLast = false
	): ScoreNode | null {
		const field = clause.field;
		if (clause.kind === 'phrase') return this.#typedPhrase(clause.tokens, field);
		const terms = termsOfToken(clause.token);
		if (terms.length === 0) return null;
		const [primary] = terms;
		const typedParts = compoundParts(clause.token);
		const alternatives: { node: ScoreNode; weight: number }[] = [];
		const kind = typedParts.length > 1 ? 'compound' : clause.acronym ? 'acronym' : 'word';
		const node = this.#termNode(primary, field, exactOnly, isLast, kind);
		if (node) alternatives.push({ node, weight: 1 });
		if (typedParts.length > 1) {
			// `grad-cam` also matches `grad cam` written apart, but only side by side: `u-net` is not
			// the `net` of `COVID-Net`.
			const phrase = this.#phraseNode({ tokens: typedParts, inflected: false }, field);
			if (phrase && !phrase.impossible)
				alternatives.push({ node: phrase, weight: MATCH_WEIGHTS.compound });
		} else {
			// `gradcam` also matches `grad cam`, side by side: `simonyan` is not `Simon … Yan`.
			const split = exactOnly ? [] : this.splitCompound(primary);
			const phrase =
				split.length > 1 ? this.#phraseNode({ tokens: split, inflected: false }, field) : null;
			if (phrase && !phrase.impossible)
				alternatives.push({ node: phrase, weight: MATCH_WEIGHTS.compound });
		}
		if (alternatives.length === 0) return null;
		return alternatives.length === 1 && alternatives[0].weight === 1
			? alternatives[0].node
			: { kind: 'best', children: alternatives };
	}

	/**
	 * Documents holding `term` exactly: body pages plus papers' metadata (0: unknown term). Read
	 * from the term indexes, free of the work budget, which is kept for scoring.
	 */
	frequency(term: string, field: IndexedField | null): number {
		const id = field === null || field === 'body' ? this.#body.termId(term) : -1;
		return (
			(id >= 0 ? this.#body.postingCount(id) : 0) + this.#metadata.documentFrequency(term, field)
		);
	}

	/**
	 * About how much scoring a node costs: the postings of its body terms and the papers of its
	 * exact metadata matches, from the term indexes. Lets the search pay for cheap, telling
	 * clauses before the common words a spent budget can leave out.
	 */
	estimatedCost(node: ScoreNode): number {
		switch (node.kind) {
			case 'terms': {
				let cost = 0;
				for (const variant of node.variants) cost += this.#body.postingCount(variant.termId);
				if (node.metadata) cost += this.#metadata.documentFrequency(node.metadata.term, node.field);
				return cost;
			}
			case 'phrase':
				return node.termNodes.reduce((sum, child) => sum + this.estimatedCost(child), 0);
			case 'best':
				return node.children.reduce((sum, child) => sum + this.estimatedCost(child.node), 0);
			default:
				return node.children.reduce((sum, child) => sum + this.estimatedCost(child), 0);
		}
	}

	/** Splits an unknown-as-one-word compound into two known terms (`gradcam` → grad, cam). */
	splitCompound(term: string): string[] {
		if (term.length < 5) return [];
		let best: string[] = [];
		let bestCount = 0;
		for (let at = 2; at <= term.length - 2; at++) {
			// The right half is looked up only when the left one is known.
			const left = this.frequency(term.slice(0, at), null);
			const count = left && Math.min(left, this.frequency(term.slice(at), null));
			if (count > bestCount) {
				best = [term.slice(0, at), term.slice(at)];
				bestCount = count;
			}
		}
		return best;
	}

	/**
	 * A typed phrase, with its compounds written every way the corpus may write them: a
	 * hyphenated word also joined (`piece-wise` → `piecewise`; hyphens and spaces are already the
	 * same to the phrase check), a joined word also split where both halves are known words
	 * (`posthoc` → `post hoc`). The best of these spellings counts.
	 */
	#typedPhrase(tokens: string[], field: IndexedField | null): ScoreNode | null {
		const joined = tokens.map((token) => compoundParts(token).join(''));
		const split = tokens.flatMap((token) => {
			if (compoundParts(token).length > 1) return [token];
			const halves = this.splitCompound(token);
			return halves.length > 1 ? [halves.join('-')] : [token];
		});
		const spellings = new Map<string, string[]>();
		for (const spelling of [tokens, joined, split, ...this.#pairsJoined(tokens, field)])
			spellings.set(spelling.join(' '), spelling);
		const nodes = [...spellings.values()]
			.map((spelling) => this.#phraseNode({ tokens: spelling, inflected: false }, field))
			.filter((node): node is PhraseNode => node !== null);
		const possible = nodes.filter((node) => !node.impossible);
		if (possible.length === 0) return nodes[0] ?? null;
		if (possible.length === 1) return possible[0];
		return { kind: 'best', children: possible.map((node) => ({ node, weight: 1 })) };
	}

	/**
	 * The phrase with two neighbouring words written as one where the corpus has that word
	 * (`grad cam` → `gradcam`), one spelling per such pair: spaced, hyphenated and joined forms of
	 * a compound are one inside quotes too.
	 */
	#pairsJoined(tokens: string[], field: IndexedField | null): string[][] {
		const spellings: string[][] = [];
		for (let i = 0; i + 1 < tokens.length; i++) {
			if (compoundParts(tokens[i]).length > 1 || compoundParts(tokens[i + 1]).length > 1) continue;
			const word = tokens[i] + tokens[i + 1];
			const term = termsOfToken(word)[0];
			if (term && this.frequency(term, field) > 0)
				spellings.push([...tokens.slice(0, i), word, ...tokens.slice(i + 2)]);
		}
		return spellings;
	}

	/**
	 * What a synonym of the typed words matches. One of several words (`class activation map`,
	 * `case-based`) counts only where they occur together as a phrase, plural endings allowed; a
	 * compound also where it is written as one word (`GradCAM`). Null when it occurs nowhere.
	 */
	#synonymNode(synonym: SynonymPhrase): ScoreNode | null {
		if (wordsOfPhrase(synonym.tokens).length < 2) return this.#exactAll(synonym.terms);
		const children: { node: ScoreNode; weight: number }[] = [];
		const phrase = this.#phraseNode({ tokens: synonym.tokens, inflected: true }, null);
		if (phrase && !phrase.impossible) children.push({ node: phrase, weight: 1 });
		const joined = synonym.tokens.length === 1 ? this.#exactAll(synonym.terms.slice(0, 1)) : null;
		if (joined) children.push({ node: joined, weight: 1 });
		if (children.length < 2) return children[0]?.node ?? null;
		return { kind: 'best', children };
	}

	#compileOr(children: (TermClause | PhraseClause)[]): ScoreNode | null {
		const nodes = children
			.map((child) => this.compileText(child, false, false))
			.filter((node): node is ScoreNode => node !== null);
		if (nodes.length === 0) return null;
		return nodes.length === 1 ? nodes[0] : { kind: 'any', children: nodes };
	}

	/** A phrase, typed or a synonym; null when it has no words. */
	#phraseNode(phrase: Phrase, field: IndexedField | null): PhraseNode | null {
		const words = wordsOfPhrase(phrase.tokens);
		if (words.length === 0) return null;
		const terms = [...new Set(phrase.tokens.flatMap((token) => termsOfToken(token)))];
		const wordTerms = phraseWordTerms(words, phrase.inflected);
		// A word whose forms have several terms is left to the text check.
		const positional = wordTerms
			.filter((word) => word.terms.length === 1)
			.map(({ terms: [term], offset }) => ({ term, offset, id: this.#body.termId(term) }));
		// A phrase with a word the index has never seen cannot occur anywhere. (Not every term:
		// `grad-cam` has the term `gradcam`, which a text writing `grad cam` lacks.)
		const impossible = !wordTerms.every((word) =>
			word.terms.some((term) => this.frequency(term, field) > 0)
		);
		return {
			kind: 'phrase',
			phrase,
			field,
			terms,
			termNodes: impossible
				? []
				: terms
						.map((term) => this.#termNode(term, field, true, false))
						.filter((node): node is TermsNode => node !== null),
			wordTerms: [...new Set(positional.map(({ term }) => term))],
			positional: positional.every(({ id }) => id >= 0) ? positional : null,
			settledByPositions:
				!phrase.inflected &&
				positional.length === words.length &&
				positional.every(
					({ term, id, offset }) =>
						id >= 0 && this.#data.termAsWritten[id] === 1 && term === words[offset]
				),
			impossible,
			papers: new Set(),
			stamp: 0,
			pairBits: pairBits(phrase.inflected ? [] : words),
			bytes: phrase.inflected ? null : bytePhrase(words)
		};
	}

	/** All of some terms, exactly (a compound's parts). */
	#exactAll(terms: string[], field: IndexedField | null = null): ScoreNode | null {
		const children: ScoreNode[] = [];
		for (const term of terms) {
			const node = this.#termNode(term, field, true, false);
			if (!node) return null;
			children.push(node);
		}
		return children.length === 1 ? children[0] : { kind: 'all', children };
	}

	/**
	 * What a typed term matches: itself, then prefix completions, then typo corrections, in the
	 * body postings (expanded here) and in the metadata (expanded by MiniSearch with the same
	 * rules). Null when it can match nothing.
	 */
	#termNode(
		term: string,
		field: IndexedField | null,
		exactOnly: boolean,
		isLast: boolean,
		kind: TypedKind = 'word'
	): TermsNode | null {
		const inBody = field === null || field === 'body';
		const inMetadata = field === null || isMetadataField(field);
		const exact = inBody ? this.#body.termId(term) : -1;
		const frequency = this.frequency(term, field);
		if (exactOnly && frequency === 0) return null;
		const variants: Variant[] = [];
		if (exact >= 0) variants.push({ termId: exact, weight: MATCH_WEIGHTS.exact });
		// Prefixes complete the word being typed, or a word the index does not know as typed.
		// An acronym the corpus has as written (`CAM`) is not also the start of `camera`.
		const prefix =
			!exactOnly &&
			(isLast || frequency === 0) &&
			term.length >= MIN_PREFIX_LENGTH &&
			!(kind === 'acronym' && frequency > 0);
		// Typos are looked for when the word is unknown or so rare it is probably a typo itself; a
		// short typed compound (`u-net`) is a name, not a typo of `unit` or `net`.
		const fuzzy =
			!exactOnly && frequency <= 2 && !(kind === 'compound' && term.length < MIN_FUZZY_COMPOUND)
				? fuzzyDistance(term)
				: 0;
		if (inBody && prefix) {
			for (const id of this.#body.prefixTerms(term)) {
				if (id !== exact) variants.push({ termId: id, weight: MATCH_WEIGHTS.prefix });
			}
		}
		if (inBody && fuzzy) {
			for (const { id, distance } of this.#body.fuzzyTerms(term)) {
				if (id === exact || variants.some((variant) => variant.termId === id)) continue;
				variants.push({
					termId: id,
					weight: distance === 1 ? MATCH_WEIGHTS.fuzzy1 : MATCH_WEIGHTS.fuzzy2
				});
			}
		}
		const metadata = inMetadata
			? { term, prefix, fuzzy, matched: new Map<string, number>() }
			: null;
		if (variants.length === 0 && !(metadata && (frequency > 0 || prefix || fuzzy))) return null;
		return { kind: 'terms', variants, field, metadata };
	}

	/** Two typed words written together, when the index knows them so (`grad cam` → gradcam). */
	#joinedPair(clauses: Clause[], start: number): ScoreNode | null {
		const [first, second] = [clauses[start], clauses[start + 1]];
		if (first?.kind !== 'term' || second?.kind !== 'term' || first.field || second.field)
			return null;
		const left = termsOfToken(first.token)[0];
		const right = termsOfToken(second.token)[0];
		if (!left || !right || /\d/.test(left + right)) return null;
		return this.#termNode(stem(left + right), null, true, false);
	}

	/** The longest run of typed words from `start` (up to four) that is a synonym, with its others. */
	#synonymSpan(
		clauses: Clause[],
		start: number
	): { width: number; others: SynonymPhrase[] } | null {
		if (this.#synonyms.length === 0) return null;
		let key = '';
		let best: { width: number; others: SynonymPhrase[] } | null = null;
		for (let end = start; end < clauses.length && end < start + 4; end++) {
			const clause = clauses[end];
			if (clause.kind !== 'term' || clause.field) break;
			key += termsOfToken(clause.token)[0] ?? '';
			const matched = this.#synonyms.find((synonym) => synonym.key === key);
			if (matched) {
				best = {
					width: end - start + 1,
					others: this.#synonyms.filter((s) => s.group === matched.group && s.key !== key)
				};
			}
		}
		return best;
	}
}
