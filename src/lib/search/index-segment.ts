/**
 * An index segment: everything the body index holds that one paper's PDF pages decide alone
 * (postings under a local vocabulary, word positions, page bytes, checkpoints, pair filters).
 * The ingest keeps a segment per PDF, so a build tokenises only the PDFs that changed and
 * `mergeIndexSegments` (index-data.ts) lays the segments out as one index; `encodeIndexSegment`
 * is the compact binary form it is kept in.
 */
import { isAscii } from 'node:buffer';
import type { PageDocument } from '../types.ts';
import { WORD, compoundParts, eachIndexTerm, fold, foldsToLowerCase } from '../text/normalise.ts';
import { PAIR_FILTER_WORDS, addPairs, isAsciiWordByte, phraseWords } from './phrase-filter.ts';

/** Every how many words of an ASCII page its byte offset is kept (see `wordCheckpoints`). */
export const WORD_CHECKPOINT = 32;

/** Largest term frequency stored per page (postings hold it in 16 bits). */
const MAX_TF = 0xffff;
/**
 * Largest word position stored (16 bits). A word further down a page than this is stored at
 * this position, which a phrase check treats as "anywhere": such a page is checked on its text.
 */
export const MAX_POSITION = 0xffff;

/** A body page of a paper: its page number, text and the part of it in the reference list. */
export type BodyPage = Pick<PageDocument, 'page' | 'body' | 'references'>;

/** The index of one paper's body pages, in page order; term ids are local to the segment. */
export interface IndexSegment {
	/** The local vocabulary: a term's local id is its place here. */
	terms: string[];
	/** 1 for a local term that at least one of its occurrences has written otherwise. */
	termRespelled: Uint8Array;
	docPage: Uint32Array;
	/** Body terms of all pages together. */
	bodyLength: number;
	/** Per page, `[start, end)` of its body in the reference list; `0, 0` when none. */
	docReferences: Uint32Array;
	/** `docPostingStart[i]..docPostingStart[i + 1]` are the postings of page `i`. */
	docPostingStart: Uint32Array;
	postingTerm: Uint32Array;
	postingTf: Uint16Array;
	postingReferenceTf: Uint16Array;
	/** `postingTf[k]` word positions per posting, in posting order. */
	postingPositions: Uint16Array;
	/** UTF-8 text of the pages, page `i` at `textOffsets[i]..textOffsets[i + 1]`. */
	pageText: Uint8Array;
	textOffsets: Uint32Array;
	docFoldsToLowerCase: Uint8Array;
	/** Word checkpoints of page `i` at `wordCheckpointStart[i]..wordCheckpointStart[i + 1]`. */
	wordCheckpoints: Uint32Array;
	wordCheckpointStart: Uint32Array;
	/** `PAIR_FILTER_WORDS` words per page. */
	pairFilter: Uint32Array;
}

/** A growable typed array, so that millions of postings do not become millions of JS numbers. */
class Growable<T extends Uint32Array | Uint16Array> {
	data: T;
	length = 0;
	constructor(private readonly make: (length: number) => T) {
		this.data = make(1 << 10);
	}
	push(value: number): void {
		if (this.length === this.data.length) {
			const bigger = this.make(this.data.length * 2);
			bigger.set(this.data);
			this.data = bigger;
		}
		this.data[this.length++] = value;
	}
	/** The pushed values, in an array of their own size. */
	values(): T {
		return this.data.slice(0, this.length) as T;
	}
}

const growableU32 = () => new Growable((length) => new Uint32Array(length));
const growableU16 = () => new Growable((length) => new Uint16Array(length));

/** Builds the segment of a paper's body pages, taken in the order given (ascending page). */
export function buildIndexSegment(pages: BodyPage[]): IndexSegment {
	const count = pages.length;
	const termIds = new Map<string, number>();
	const respelled = new Set<number>();
	const docPostingStart = new Uint32Array(count + 1);
	const postingTerm = growableU32();
	const postingTf = growableU16();
	const postingReferenceTf = growableU16();
	const positions = growableU16();
	const docReferences = new Uint32Array(count * 2);
	const docFoldsToLowerCase = new Uint8Array(count);
	const wordCheckpoints = growableU32();
	const wordCheckpointStart = new Uint32Array(count + 1);
	const pairFilter = new Uint32Array(count * PAIR_FILTER_WORDS);
	const textOffsets = new Uint32Array(count + 1);
	const texts: Uint8Array[] = [];
	const encoder = new TextEncoder();
	let bodyLength = 0;
	let textBytes = 0;

	pages.forEach((doc, i) => {
		docPostingStart[i] = postingTerm.length;
		if (doc.body) {
			const termPositions = new Map<number, number[]>();
			const [referenceFrom, referenceTo] = doc.references
				? doc.references.map((at) => wordsBefore(doc.body, at))
				: [0, 0];
			if (doc.references) docReferences.set(doc.references, i * 2);
			eachIndexTerm(doc.body, (term, position, asWritten) => {
				bodyLength++;
				let id = termIds.get(term);
				if (id === undefined) termIds.set(term, (id = termIds.size));
				if (!asWritten) respelled.add(id);
				const list = termPositions.get(id);
				if (list) list.push(position);
				else termPositions.set(id, [position]);
			});
			for (const [id, list] of termPositions) {
				const tf = Math.min(list.length, MAX_TF);
				let inReferences = 0;
				if (referenceTo > referenceFrom) {
					for (let k = 0; k < tf; k++)
						if (list[k] >= referenceFrom && list[k] < referenceTo) inReferences++;
				}
				postingTerm.push(id);
				postingTf.push(tf);
				postingReferenceTf.push(inReferences);
				for (let k = 0; k < tf; k++) positions.push(Math.min(list[k], MAX_POSITION));
			}
		}
		addPairs(pairFilter, i * PAIR_FILTER_WORDS, phraseWords(doc.body));
		const bytes = encoder.encode(doc.body);
		if (foldsToLowerCase(bytes, 0, bytes.length)) docFoldsToLowerCase[i] = 1;
		wordCheckpointStart[i] = wordCheckpoints.length;
		addWordCheckpoints(bytes, wordCheckpoints);
		texts.push(bytes);
		textOffsets[i] = textBytes;
		textBytes += bytes.length;
	});
	docPostingStart[count] = postingTerm.length;
	wordCheckpointStart[count] = wordCheckpoints.length;
	textOffsets[count] = textBytes;

	const pageText = new Uint8Array(textBytes);
	texts.forEach((bytes, i) => pageText.set(bytes, textOffsets[i]));
	const termRespelled = new Uint8Array(termIds.size);
	for (const id of respelled) termRespelled[id] = 1;
	return {
		terms: [...termIds.keys()],
		termRespelled,
		docPage: Uint32Array.from(pages, (doc) => doc.page),
		bodyLength,
		docReferences,
		docPostingStart,
		postingTerm: postingTerm.values(),
		postingTf: postingTf.values(),
		postingReferenceTf: postingReferenceTf.values(),
		postingPositions: positions.values(),
		pageText,
		textOffsets,
		docFoldsToLowerCase,
		wordCheckpoints: wordCheckpoints.values(),
		wordCheckpointStart,
		pairFilter
	};
}

/**
 * Adds the byte offsets of words `0, WORD_CHECKPOINT, …` of a page, if it is ASCII. There a word
 * (a run of letters and digits of the folded text, the unit `eachIndexTerm` counts) is a run of
 * `[A-Za-z0-9]` bytes; other pages fold to other lengths, and get none.
 */
function addWordCheckpoints(bytes: Uint8Array, checkpoints: Growable<Uint32Array>): void {
	if (!isAscii(bytes)) return;
	let word = 0;
	let inWord = false;
	for (let i = 0; i < bytes.length; i++) {
		const isWordByte = isAsciiWordByte(bytes[i]);
		if (isWordByte && !inWord && word++ % WORD_CHECKPOINT === 0) checkpoints.push(i);
		inWord = isWordByte;
	}
}

/** The word position (as `eachIndexTerm` counts) of the first word at or after `at` in `text`. */
function wordsBefore(text: string, at: number): number {
	let count = 0;
	for (const match of fold(text.slice(0, at)).matchAll(WORD))
		count += compoundParts(match[0]).length;
	return count;
}

/** The typed arrays of a segment, in the order the binary form stores them. */
const SEGMENT_ARRAYS = [
	'termRespelled',
	'docPage',
	'docReferences',
	'docPostingStart',
	'postingTerm',
	'postingTf',
	'postingReferenceTf',
	'postingPositions',
	'pageText',
	'textOffsets',
	'docFoldsToLowerCase',
	'wordCheckpoints',
	'wordCheckpointStart',
	'pairFilter'
] as const satisfies readonly (keyof IndexSegment)[];

type SegmentArrayName = (typeof SEGMENT_ARRAYS)[number];

const ARRAY_KIND: Record<SegmentArrayName, 'u8' | 'u16' | 'u32'> = {
	termRespelled: 'u8',
	docPage: 'u32',
	docReferences: 'u32',
	docPostingStart: 'u32',
	postingTerm: 'u32',
	postingTf: 'u16',
	postingReferenceTf: 'u16',
	postingPositions: 'u16',
	pageText: 'u8',
	textOffsets: 'u32',
	docFoldsToLowerCase: 'u8',
	wordCheckpoints: 'u32',
	wordCheckpointStart: 'u32',
	pairFilter: 'u32'
};

/** What the header of a kept segment says besides the array lengths. */
export interface SegmentLabel {
	/** Names the code that built it (see index-segments.ts in the ingest). */
	fingerprint: string;
	/** Names the page texts it was built from. */
	pages: string;
}

interface SegmentHeader extends SegmentLabel {
	bodyLength: number;
	/** Byte length of the terms (UTF-8, one a line), then of each array in `SEGMENT_ARRAYS` order. */
	bytes: number[];
}

const MAGIC = 0x47425347; // "GBSG"
const align4 = (n: number) => (n + 3) & ~3;

/**
 * The binary form of a segment: magic, header length, a JSON header (label, lengths), then the
 * terms and every array, each starting on a 4-byte boundary, little-endian as in memory.
 */
export function encodeIndexSegment(segment: IndexSegment, label: SegmentLabel): Uint8Array {
	const terms = new TextEncoder().encode(segment.terms.join('\n'));
	const arrays = SEGMENT_ARRAYS.map((name) => segment[name]);
	const header: SegmentHeader = {
		...label,
		bodyLength: segment.bodyLength,
		bytes: [terms.byteLength, ...arrays.map((array) => array.byteLength)]
	};
	const headerBytes = new TextEncoder().encode(JSON.stringify(header));
	let size = align4(8 + headerBytes.byteLength);
	for (const bytes of header.bytes) size += align4(bytes);
	const out = new Uint8Array(size);
	const view = new DataView(out.buffer);
	view.setUint32(0, MAGIC, true);
	view.setUint32(4, headerBytes.byteLength, true);
	out.set(headerBytes, 8);
	let at = align4(8 + headerBytes.byteLength);
	for (const part of [terms, ...arrays]) {
		out.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at);
		at += align4(part.byteLength);
	}
	return out;
}

/** The label of a kept segment without decoding the rest; null when `bytes` is not one. */
export function segmentLabel(bytes: Uint8Array): SegmentLabel | null {
	return readHeader(bytes);
}

function readHeader(bytes: Uint8Array): SegmentHeader | null {
	if (bytes.byteLength < 8) return null;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (view.getUint32(0, true) !== MAGIC) return null;
	const length = view.getUint32(4, true);
	if (8 + length > bytes.byteLength) return null;
	try {
		const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
		const lengths: unknown = header?.bytes;
		return Array.isArray(lengths) &&
			lengths.length === SEGMENT_ARRAYS.length + 1 &&
			lengths.every((length) => Number.isInteger(length) && length >= 0)
			? (header as SegmentHeader)
			: null;
	} catch {
		return null;
	}
}

/**
 * Reads a segment written by {@link encodeIndexSegment}, with its label; null when the bytes are
 * not a whole segment. The arrays are views of `bytes` (copied first if it is not 4-aligned).
 */
export function decodeIndexSegment(
	input: Uint8Array
): { segment: IndexSegment; label: SegmentLabel } | null {
	const bytes = input.byteOffset % 4 === 0 ? input : new Uint8Array(input);
	const header = readHeader(bytes);
	if (!header) return null;
	let at = align4(8 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true));
	const end = bytes.byteOffset + bytes.byteLength;
	const parts: Uint8Array[] = [];
	for (const length of header.bytes) {
		if (bytes.byteOffset + at + length > end) return null;
		parts.push(bytes.subarray(at, at + length));
		at += align4(length);
	}
	const [terms, ...arrays] = parts;
	const width = { u8: 1, u16: 2, u32: 4 };
	if (SEGMENT_ARRAYS.some((name, i) => arrays[i].byteLength % width[ARRAY_KIND[name]] !== 0))
		return null;
	const segment = {
		terms: terms.byteLength ? new TextDecoder().decode(terms).split('\n') : [],
		bodyLength: header.bodyLength
	} as IndexSegment;
	SEGMENT_ARRAYS.forEach((name, i) => {
		const { buffer, byteOffset, byteLength } = arrays[i];
		const kind = ARRAY_KIND[name];
		const array =
			kind === 'u8'
				? new Uint8Array(buffer, byteOffset, byteLength)
				: kind === 'u16'
					? new Uint16Array(buffer, byteOffset, byteLength / 2)
					: new Uint32Array(buffer, byteOffset, byteLength / 4);
		(segment as unknown as Record<SegmentArrayName, typeof array>)[name] = array;
	});
	return { segment, label: { fingerprint: header.fingerprint, pages: header.pages } };
}
