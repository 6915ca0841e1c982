/** Types of the reading room, shared by its state classes and components. */
import type { Snippet } from '../../types.ts';
import type { MatchSpec } from '../../text/match-ranges.ts';

/** JPEGs of single pages drawn on the server, and page one's size in PDF points. */
export interface PagePreview {
	/** URL of the JPEG of a page (page one is drawn at ingest, others on first request). */
	pageUrl: (pageNumber: number) => string;
	/** URL of the figures of a page (`PageFigure[]`, found on first request), cut from its JPEG. */
	figuresUrl?: (pageNumber: number) => string;
	width: number;
	height: number;
}

export interface PdfReaderProps {
	/** URL of the PDF, or null when the paper has none. */
	src: string | null;
	/** Paper title, for labels. */
	title: string;
	/** URL of the indexed text of every page (`{ pages: string[] }`), for the text view and find. */
	textSrc?: string | null;
	/** Pages in the catalog, so the layout can be laid out before the file arrives. */
	pageCount?: number | null;
	/** Size of the PDF in bytes, so its first and last chunks can be fetched before pdf.js loads. */
	pdfBytes?: number | null;
	/**
	 * JPEGs of single pages and page one's size, the estimate for every page until pdf.js
	 * measures it: the page opened at is shown from the first paint, before pdf.js is ready, and
	 * to readers without JavaScript.
	 */
	preview?: PagePreview | null;
	/** Page to open at; defaults to `?page=` of the current URL. */
	initialPage?: number;
	/** Query to highlight; defaults to `?q=` of the current URL. */
	query?: string;
	/** What the search engine matched for `query` in this paper (marked exactly), if known. */
	match?: MatchSpec | null;
	/** Asks the search engine what a find text matches in this paper. */
	matchSource?: ((text: string) => Promise<MatchSpec | null>) | null;
	/** Keep `?page=` in the address bar in step with the page being read. */
	syncUrl?: boolean;
	/** The query's snippets of the page opened at, shown as text to readers without JavaScript. */
	pageSnippets?: Snippet[];
}

/** `none`: the paper has no PDF to show. */
export type ReaderStatus = 'loading' | 'ready' | 'error' | 'none';

/** Width and height of a page in PDF points. */
export type PageSize = readonly [width: number, height: number];

export type ZoomMode = 'fit-width' | 'fit-page' | 'custom';

/** An entry of a PDF's outline, as pdf.js's `getOutline()` gives it. */
export interface OutlineEntry {
	title: string;
	dest: string | unknown[] | null;
	items: OutlineEntry[];
}

/** A page with matches, for the hit strip. */
export interface HitPage {
	page: number;
	count: number;
}
