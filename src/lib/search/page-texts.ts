/** The PDF page texts of the index, read for snippets and phrase checks. */
import { Buffer } from 'node:buffer';
import type { IndexData } from './index-data.ts';
import { PageKind, capitalsKind, pageKind } from './phrase-filter.ts';

export class PageTexts {
	readonly #data: IndexData;
	/** The page texts as a Buffer (a view, not a copy), for native substring search. */
	readonly bytes: Buffer;
	/** The {@link PageKind} of each page, learnt as pages are read. */
	readonly #kinds: Uint8Array;
	readonly #decoder = new TextDecoder();

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

	/** The text of page `page` (from 1) of paper `p`, null when it has none. */
	ofPage(p: number, page: number): string | null {
		for (let doc = this.#data.paperDocStart[p]; doc < this.#data.paperDocStart[p + 1]; doc++) {
			if (this.#data.docPage[doc] === page) return this.text(doc);
		}
		return null;
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
