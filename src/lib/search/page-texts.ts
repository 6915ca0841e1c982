/** The PDF page texts of the index, read for snippets and phrase checks. */
import { Buffer } from 'node:buffer';
import type { IndexData } from './index-data.ts';
import { PageKind, capitalsKind, pageKind } from './phrase-filter.ts';
import { fold } from '../text/normalise.ts';
import type { Haystack } from '../text/match-ranges.ts';

/** Pages whose fold needs a position map, kept folded: a hit's best pages recur query after query. */
const FOLDED_PAGES_KEPT = 128;

export class PageTexts {
	readonly #data: IndexData;
	/** The page texts as a Buffer (a view, not a copy), for native substring search. */
	readonly bytes: Buffer;
	/** The {@link PageKind} of each page, learnt as pages are read. */
	readonly #kinds: Uint8Array;
	readonly #decoder = new TextDecoder();
	/** The last {@link FOLDED_PAGES_KEPT} pages folded with a position map, by page document. */
	readonly #folded = new Map<number, Haystack>();

	constructor(data: IndexData) {
		this.#data = data;
		this.bytes = Buffer.from(
			data.pageText.buffer,
			data.pageText.byteOffset,
			data.pageText.byteLength
		);
		this.#kinds = new Uint8Array(data.docPaper.length);
	}

	/** Where the text of page document `doc` starts in {@link bytes}. */
	start(doc: number): number {
		return this.#data.textOffsets[doc];
	}

	/** Where the text of page document `doc` ends in {@link bytes}. */
	end(doc: number): number {
		return this.#data.textOffsets[doc + 1];
	}

	/** The {@link PageKind} of page document `doc` (ASCII or not), found on first use. */
	kind(doc: number): number {
		if (this.#kinds[doc] === PageKind.Unknown)
			this.#kinds[doc] = pageKind(this.#data.pageText, this.start(doc), this.end(doc));
		return this.#kinds[doc];
	}

	/** Learns where the capitals of ASCII page `doc` are (see `capitalsKind`); returns its new kind. */
	learnCapitals(doc: number): number {
		this.#kinds[doc] = capitalsKind(this.#data.pageText, this.start(doc), this.end(doc));
		return this.#kinds[doc];
	}

	/**
	 * The text of one page document (empty for page 0, whose text is the metadata). ASCII pages,
	 * most of them, are read as Latin-1, which skips UTF-8 decoding and gives the same text.
	 */
	text(doc: number): string {
		const start = this.start(doc);
		const end = this.end(doc);
		return this.kind(doc) === PageKind.Other
			? this.#decoder.decode(this.#data.pageText.subarray(start, end))
			: this.bytes.toString('latin1', start, end);
	}

	/**
	 * The text of page document `doc` folded for matching (`text` is its {@link text}). Most pages
	 * fold to their lower case, which the index says; the others are folded with a position map,
	 * and the last few kept. Scanning each page's string to decide, and keeping every page's
	 * fold, were a third of a search's time (bench:search, 1,000 papers).
	 */
	haystack(doc: number, text: string = this.text(doc)): Haystack {
		if (this.#data.docFoldsToLowerCase[doc] === 1) {
			const folded = fold(text, { withMap: true, lowerCaseOnly: true });
			return { text: folded.text, position: folded.sourceIndex };
		}
		let haystack = this.#folded.get(doc);
		if (!haystack) {
			const folded = fold(text, { withMap: true });
			haystack = { text: folded.text, position: folded.sourceIndex };
			if (this.#folded.size >= FOLDED_PAGES_KEPT)
				this.#folded.delete(this.#folded.keys().next().value!);
			this.#folded.set(doc, haystack);
		}
		return haystack;
	}

	/** The page document of page `page` (from 1) of paper `p`, -1 when it has none. */
	docOf(p: number, page: number): number {
		for (let doc = this.#data.paperDocStart[p]; doc < this.#data.paperDocStart[p + 1]; doc++) {
			if (this.#data.docPage[doc] === page) return doc;
		}
		return -1;
	}

	/** The text of each PDF page of paper `p`, page one first (empty for pages without text). */
	ofPaper(p: number): string[] {
		const texts: string[] = [];
		for (let doc = this.#data.paperDocStart[p]; doc < this.#data.paperDocStart[p + 1]; doc++) {
			const page = this.#data.docPage[doc];
			if (page > 0) texts[page - 1] = this.text(doc);
		}
		return Array.from(texts, (text) => text ?? '');
	}
}
