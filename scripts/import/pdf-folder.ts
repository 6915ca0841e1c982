/**
 * A folder of PDFs plus a manifest → a Glassbox `papers/` folder: one edition per year, one YAML
 * per PDF (from the manifest's facts), the PDF beside it (hard-linked by default, else copied: the
 * ingest refuses symbolic links that lead out of the papers folder). Used by `npm run papers:from-pdfs` and by the tests' shared-corpus fixture.
 *
 * The manifest (`manifest.json` in the folder unless named) is
 * `{ "papers": [{ "file": "pdf/x.pdf", "title": "…", "authors": ["…"], "year": 2024,
 *    "doi"?: "…", "arxiv"?: "…", "type"?: "oral" }] }`; `file` is relative to the manifest.
 */
import {
	appendFileSync,
	copyFileSync,
	existsSync,
	mkdirSync,
	readFileSync,
	writeFileSync
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ID_PATTERN } from '../../src/lib/corpus/schema.ts';
import { placeFile } from './place-file.ts';

export interface ManifestPaper {
	file: string;
	title: string;
	authors: string[];
	year: number;
	doi?: string;
	arxiv?: string;
	type?: string;
}

export interface PdfFolderOptions {
	/** The manifest file; its folder is where `file` paths start. */
	manifest: string;
	/** The papers folder to write (created; must not hold the files already). */
	out: string;
	/** The taxonomy to copy in (default: the shipped `papers/taxonomy.yaml`). */
	taxonomy?: string;
	/** Edition folders are `<prefix>-<year>` (default `corpus`). */
	editionPrefix?: string;
	/** Copy the PDFs instead of linking them. */
	copy?: boolean;
	/** Only these paper ids (PDF file stems). */
	only?: string[];
	/** A type for papers whose manifest entry names none (the papers format allows none). */
	defaultType?: string;
	/**
	 * Distinct copies of each paper, for benchmarks (default 1): ids `<id>-copy<n>`, each PDF a
	 * real copy with a byte appended, so its content hash differs but readers see the same file.
	 */
	copies?: number;
}

export interface PdfFolderResult {
	papers: { id: string; edition: string; pdf: string }[];
	/** Manifest entries not written, with the reason. */
	problems: string[];
}

const SHIPPED_TAXONOMY = resolve(import.meta.dirname, '../../papers/taxonomy.yaml');

/** Reads a manifest's papers; a paper's id is its PDF's file stem. */
export function readManifest(manifest: string): (ManifestPaper & { id: string })[] {
	const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { papers?: ManifestPaper[] };
	if (!Array.isArray(parsed.papers)) throw new Error(`${manifest}: no "papers" list`);
	return parsed.papers.map((paper) => ({ ...paper, id: basename(paper.file, '.pdf') }));
}

/** Writes the papers folder for a manifest; returns what was written and what was not. */
export function writePapersFromPdfFolder(options: PdfFolderOptions): PdfFolderResult {
	const root = dirname(resolve(options.manifest));
	const prefix = options.editionPrefix ?? 'corpus';
	const result: PdfFolderResult = { papers: [], problems: [] };
	mkdirSync(options.out, { recursive: true });
	copyFileSync(options.taxonomy ?? SHIPPED_TAXONOMY, join(options.out, 'taxonomy.yaml'));
	for (const paper of readManifest(options.manifest)) {
		if (options.only && !options.only.includes(paper.id)) continue;
		const pdf = join(root, paper.file);
		const problem = !ID_PATTERN.test(paper.id)
			? `file name "${basename(paper.file)}" must be lower-case letters, digits and hyphens (it becomes the paper id)`
			: !existsSync(pdf)
				? `${paper.file} not found`
				: !paper.title
					? 'no title'
					: !Number.isInteger(paper.year)
						? 'no year'
						: null;
		if (problem) {
			result.problems.push(`${paper.file}: ${problem}`);
			continue;
		}
		const edition = `${prefix}-${paper.year}`;
		const editionDir = join(options.out, edition);
		if (!existsSync(editionDir)) {
			mkdirSync(editionDir);
			writeFileSync(
				join(editionDir, 'edition.yaml'),
				stringify({ title: `${prefix} ${paper.year}`, year: paper.year, complete: false })
			);
		}
		const copies = options.copies ?? 1;
		for (let copy = 1; copy <= copies; copy++) {
			const id = copy === 1 ? paper.id : `${paper.id}-copy${copy}`;
			const record: Record<string, unknown> = {
				title: copy === 1 ? paper.title : `${paper.title} (copy ${copy})`,
				// The papers format requires an author; a manifest may record none.
				authors: paper.authors?.length ? paper.authors : ['Unrecorded Author'],
				...((paper.type ?? options.defaultType) && { type: paper.type ?? options.defaultType })
			};
			if (paper.doi) record.doi = paper.doi;
			if (paper.arxiv) record.arxiv = paper.arxiv;
			record.sources = [`${basename(options.manifest)} (${paper.file})`];
			writeFileSync(join(editionDir, `${id}.yaml`), stringify(record));
			const target = join(editionDir, `${id}.pdf`);
			if (copies > 1) {
				// Newlines after %%EOF change the content hash, not what a PDF reader sees; one more per
				// copy, so that the copies differ from each other too (one byte each made them equal).
				copyFileSync(pdf, target);
				appendFileSync(target, '\n'.repeat(copy));
			} else if (options.copy) copyFileSync(pdf, target);
			else placeFile(pdf, target);
			result.papers.push({ id, edition, pdf: target });
		}
	}
	return result;
}
