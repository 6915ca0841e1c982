/**
 * Reading and writing a search index directory (`<build>/search/`). The format is a few flat
 * files so that loading is reading bytes into typed arrays, not parsing one large JSON:
 *
 * - `meta.json`: format version, paper ids, array lengths
 * - `metadata.json`: the MiniSearch index of the papers' metadata (`JSON.stringify(miniSearch)`),
 *   loaded with `MiniSearch.loadJSONAsync(json, miniSearchOptions)`, the options it was built with
 * - `vocabulary.txt`: the sorted body terms, one a line
 * - `*.bin`: the typed arrays of {@link IndexData}, little-endian as written
 * - `pages.txt`: the UTF-8 page texts (snippets and phrase checks read them)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import type { Catalog, PageDocument } from '../types.ts';
import {
	buildIndexData,
	mergeIndexSegments,
	type IndexData,
	type PaperIndexInput
} from '../search/index-data.ts';
import { INDEX_FORMAT_VERSION, miniSearchOptions } from '../search/options.ts';
import { SearchEngine } from '../search/engine.ts';

type TypedArrayName =
	| 'paperDocStart'
	| 'docPaper'
	| 'docPage'
	| 'paperBodyLength'
	| 'termOffsets'
	| 'postingDoc'
	| 'postingTf'
	| 'postingReferenceTf'
	| 'docReferences'
	| 'postingPositions'
	| 'termAsWritten'
	| 'wordCheckpoints'
	| 'wordCheckpointStart'
	| 'textOffsets'
	| 'docFoldsToLowerCase'
	| 'pairFilter';

const ARRAY_FILES: Record<TypedArrayName, 'u32' | 'u16' | 'u8' | 'f64'> = {
	paperDocStart: 'u32',
	docPaper: 'u32',
	docPage: 'u32',
	paperBodyLength: 'u32',
	termOffsets: 'u32',
	postingDoc: 'u32',
	postingTf: 'u16',
	postingReferenceTf: 'u16',
	docReferences: 'u32',
	postingPositions: 'u16',
	termAsWritten: 'u8',
	wordCheckpoints: 'u32',
	wordCheckpointStart: 'u32',
	textOffsets: 'f64',
	docFoldsToLowerCase: 'u8',
	pairFilter: 'u32'
};

interface IndexMeta {
	version: number;
	paperIds: string[];
}

/** Builds the index of `docs` and writes it into `dir` (created if needed). */
export async function writeSearchIndex(
	dir: string,
	docs: PageDocument[],
	// The catalog is part of the contract so that a future format can store per-paper data.
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	_catalog?: Catalog
): Promise<void> {
	await writeIndexData(dir, buildIndexData(docs));
}

/** Merges the papers' index segments (see index-segment.ts) and writes the index into `dir`. */
export async function writeSearchIndexOfSegments(
	dir: string,
	papers: PaperIndexInput[]
): Promise<void> {
	await writeIndexData(dir, mergeIndexSegments(papers));
}

/** Writes an already built index into `dir`. */
export async function writeIndexData(dir: string, data: IndexData): Promise<void> {
	await mkdir(dir, { recursive: true });
	const meta: IndexMeta = { version: data.version, paperIds: data.paperIds };
	await writeFile(join(dir, 'meta.json'), JSON.stringify(meta));
	await writeFile(join(dir, 'metadata.json'), JSON.stringify(data.metadata));
	await writeFile(join(dir, 'vocabulary.txt'), data.vocabulary.join('\n'));
	await writeFile(join(dir, 'pages.txt'), data.pageText);
	for (const name of Object.keys(ARRAY_FILES) as TypedArrayName[]) {
		const array = data[name];
		await writeFile(
			join(dir, `${name}.bin`),
			new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
		);
	}
}

/** Reads an index written by {@link writeIndexData}; names the file and what is wrong on error. */
export async function readIndexData(dir: string): Promise<IndexData> {
	const metaFile = join(dir, 'meta.json');
	const meta = JSON.parse(await readFile(metaFile, 'utf8')) as IndexMeta;
	if (meta.version !== INDEX_FORMAT_VERSION) {
		throw new Error(
			`${metaFile}: version: is ${meta.version}, this server reads ${INDEX_FORMAT_VERSION}; run the ingest again`
		);
	}
	const metadataFile = join(dir, 'metadata.json');
	// MiniSearch rebuilds the metadata index (CPU, yielding as it goes) while the body files are
	// still being read (I/O), so the two costs overlap instead of adding up.
	const metadataLoading = readFile(metadataFile, 'utf8')
		.then((json) => MiniSearch.loadJSONAsync(json, miniSearchOptions))
		.catch((error: Error) => {
			throw new Error(`${metadataFile}: ${error.message}`, { cause: error });
		});
	const arrays = {} as Record<
		TypedArrayName,
		Uint32Array | Uint16Array | Uint8Array | Float64Array
	>;
	const [metadata, vocabularyText, pageText] = await Promise.all([
		metadataLoading,
		readFile(join(dir, 'vocabulary.txt'), 'utf8'),
		readFile(join(dir, 'pages.txt')),
		...(Object.keys(ARRAY_FILES) as TypedArrayName[]).map(async (name) => {
			arrays[name] = typedView(await readFile(join(dir, `${name}.bin`)), ARRAY_FILES[name]);
		})
	]);
	const data: IndexData = {
		version: meta.version,
		paperIds: meta.paperIds,
		vocabulary: vocabularyText ? vocabularyText.split('\n') : [],
		pageText,
		metadata,
		...(arrays as unknown as Pick<IndexData, TypedArrayName>)
	};
	if (data.termOffsets.length !== data.vocabulary.length + 1) {
		throw new Error(`${join(dir, 'termOffsets.bin')}: does not match vocabulary.txt`);
	}
	if (data.paperDocStart.length !== data.paperIds.length + 1) {
		throw new Error(`${join(dir, 'paperDocStart.bin')}: does not match meta.json paperIds`);
	}
	return data;
}

function typedView(
	bytes: Buffer,
	kind: 'u32' | 'u16' | 'u8' | 'f64'
): Uint32Array | Uint16Array | Uint8Array | Float64Array {
	const width = { f64: 8, u32: 4, u16: 2, u8: 1 }[kind];
	// A typed array view needs an aligned offset; small files may sit unaligned in Node's pool.
	const source = bytes.byteOffset % width === 0 ? bytes : new Uint8Array(bytes);
	const length = source.byteLength / width;
	if (kind === 'f64') return new Float64Array(source.buffer, source.byteOffset, length);
	if (kind === 'u32') return new Uint32Array(source.buffer, source.byteOffset, length);
	if (kind === 'u8') return new Uint8Array(source.buffer, source.byteOffset, length);
	return new Uint16Array(source.buffer, source.byteOffset, length);
}

/** Loads the index in `dir` as a search engine over `catalog`. */
export async function loadSearchEngine(dir: string, catalog: Catalog): Promise<SearchEngine> {
	return new SearchEngine(await readIndexData(dir), catalog);
}
