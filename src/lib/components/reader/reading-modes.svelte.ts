/**
 * How each page is read: as the PDF page (canvas and text layer) or in the text view. A page
 * keeps the mode the reader chose for it, remembered in localStorage per document; other pages
 * take the default, the text view on narrow screens.
 */

/** `page`: the PDF page drawn by pdf.js; `text`: its indexed text, reflowed. */
export type ReadingMode = 'page' | 'text';

/** Screens at most this wide (CSS px) open in the text view: an A4 page fitted there is unreadable. */
export const NARROW_SCREEN = 600;

/** Where a document's choices are kept: one entry per document, `{ "14": "text" }`. */
export const storageKeyOf = (documentKey: string) => `glassbox:reading-modes:${documentKey}`;

/** The choices stored for a document; anything malformed counts as no choice. */
export function parseStoredModes(stored: string | null): Record<number, ReadingMode> {
	const modes: Record<number, ReadingMode> = {};
	try {
		const parsed: unknown = JSON.parse(stored ?? '{}');
		if (typeof parsed !== 'object' || parsed === null) return modes;
		for (const [page, mode] of Object.entries(parsed)) {
			if (/^[1-9]\d*$/.test(page) && (mode === 'page' || mode === 'text')) {
				modes[Number(page)] = mode;
			}
		}
	} catch {
		// A value some other code left there: start afresh.
	}
	return modes;
}

/** The reading mode of every page of one document. */
export class ReadingModes {
	/** The mode of pages the reader has not chosen one for. */
	defaultMode = $state<ReadingMode>('page');
	#chosen = $state<Record<number, ReadingMode>>({});
	readonly #key: string;
	readonly #storage: Pick<Storage, 'getItem' | 'setItem'> | null;

	constructor(documentKey: string, storage: Pick<Storage, 'getItem' | 'setItem'> | null) {
		this.#key = storageKeyOf(documentKey);
		this.#storage = storage;
		this.#chosen = parseStoredModes(this.#read());
	}

	/** Sets the default from the screen's width (the reader calls it once mounted). */
	followScreen(width: number): void {
		this.defaultMode = width <= NARROW_SCREEN ? 'text' : 'page';
	}

	modeOf(pageNumber: number): ReadingMode {
		return this.#chosen[pageNumber] ?? this.defaultMode;
	}

	/** Shows a page in `mode` from now on, and remembers it. */
	set(pageNumber: number, mode: ReadingMode): void {
		this.#chosen = { ...this.#chosen, [pageNumber]: mode };
		try {
			this.#storage?.setItem(this.#key, JSON.stringify(this.#chosen));
		} catch {
			// Storage full or refused (private mode): the choice holds until the page is left.
		}
	}

	#read(): string | null {
		try {
			return this.#storage?.getItem(this.#key) ?? null;
		} catch {
			return null;
		}
	}
}
