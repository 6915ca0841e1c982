import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readBibtexExport } from '../../scripts/import/bibtex.ts';
import { parseArgs, runImport } from '../../scripts/import/cli.ts';
import { parseCsv, readCsvExport, splitAuthors } from '../../scripts/import/csv.ts';
import { paperIdFor } from '../../scripts/import/write.ts';
import { readNote } from '../../scripts/import/clean.ts';
import { readCorpus } from '../../src/lib/corpus/index.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/import');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** A papers folder with the shipped taxonomy and an empty 2025 edition. */
function papersDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-import-'));
	cpSync(resolve(import.meta.dirname, '../../papers/taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
	mkdirSync(join(dir, 'imimic-2025'));
	writeFileSync(
		join(dir, 'imimic-2025', 'edition.yaml'),
		'title: iMIMIC 2025\nyear: 2025\ncomplete: false\n'
	);
	return dir;
}

async function run(args: string[]): Promise<{ status: number; output: string }> {
	let output = '';
	const out = new Writable({
		write(chunk, _encoding, done) {
			output += chunk;
			done();
		}
	});
	const status = await runImport(parseArgs(args), out);
	return { status, output };
}

const readPaper = (dir: string, file: string) =>
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML
	parseYaml(readFileSync(join(dir, file), 'utf8')) as Record<string, any>;

describe('readBibtexExport', () => {
	it('reads a DBLP export: accents, braces, CoRR arXiv ids, pages', () => {
		const { papers, problems } = readBibtexExport(fixture('dblp.bib'), 'dblp.bib');
		expect(papers.map((p) => p.title)).toEqual([
			'Regression Concept Vectors for Bidirectional Explanations in Histopathology',
			'COVID-Net: A Tailored Deep Convolutional Neural Network Design for Detection of COVID-19 Cases from Chest X-Ray Images',
			'Minimum Data, Maximum Impact: 20 annotated samples for explainable lung nodule classification'
		]);
		expect(papers[0].authors.map((a) => a.name)).toEqual([
			'Mara Graziani',
			'Vincent Andrearczyk',
			'Henning Müller'
		]);
		expect(papers[0].doi).toBe('10.1007/978-3-030-02628-8_14');
		expect(papers[0].pages).toBe('124-132');
		expect(papers[1].arxiv).toBe('2003.09871');
		expect(papers[2].authors[0].name).toBe('Luisa Gallée');
		expect(papers[2].type).toBe('oral');
		expect(problems.map((p) => `${p.origin}: ${p.message}`)).toEqual([
			'dblp.bib:38 @inproceedings{DBLP:conf/miccai/Anonymous25}: no authors',
			'dblp.bib:43 @proceedings{DBLP:conf/miccai/2018imimic}: @proceedings is a whole volume, not a paper'
		]);
	});

	it('reads a Springer export: "Family, Given" names, raw UTF-8, award notes, bad DOIs dropped', () => {
		const { papers, problems } = readBibtexExport(fixture('springer.bib'), 'springer.bib');
		expect(papers[0].authors.map((a) => a.name)).toEqual([
			'Yaganeh Ghamary',
			'Jörg Ziegler',
			'Søren Ørsted'
		]);
		expect(papers[0].award).toBe('Best Paper Award');
		expect(papers[0].abstract).toBe(
			'We learn prototypes of cardiac motion; 50% fewer parameters & faster.'
		);
		expect(papers[0].url).toBeUndefined();
		expect(papers[1].doi).toBe('10.1007/978-3-032-05001-1_8');
		expect(papers[2].authors.map((a) => a.name)).toEqual(['Anh Nguyen', 'Nguyen Le Minh']);
		expect(papers[2].keywords).toEqual(['vision-language', 'whole slide images', 'XAI']);
		expect(papers[2].doi).toBeUndefined();
		expect(problems).toHaveLength(1);
		expect(problems[0].message).toMatch(/^doi: "not-a-doi" is not a DOI/);
		expect(problems[0].effect).toBe('dropped');
	});
});

describe('readNote', () => {
	it('reads a presentation type and an award from one note, not the whole note as the award', () => {
		expect(readNote('Oral presentation. Best Paper Award')).toEqual({
			type: 'oral',
			award: 'Best Paper Award',
			unread: []
		});
		expect(readNote('Poster; Runner-up for the best paper prize')).toEqual({
			type: 'poster',
			award: 'Runner-up for the best paper prize',
			unread: []
		});
	});

	it('returns what it cannot read, so the import reports it instead of writing it', () => {
		expect(readNote('Accepted with minor revisions. Oral')).toEqual({
			type: 'oral',
			unread: ['Accepted with minor revisions']
		});
	});
});

describe('readCsvExport', () => {
	it('parses quoted cells with commas, doubled quotes, line breaks and a BOM', () => {
		const rows = parseCsv('\ufeffa,b\n"x, y","say ""hi""\nthere"\n');
		expect(rows).toEqual([
			['a', 'b'],
			['x, y', 'say "hi"\nthere']
		]);
		expect(parseCsv('a;b\n1;2\n')).toEqual([
			['a', 'b'],
			['1', '2']
		]);
	});

	it('splits author cells in the usual conference-system styles', () => {
		expect(splitAuthors('A One*; B Two')).toEqual([{ name: 'A One' }, { name: 'B Two' }]);
		expect(splitAuthors('A One (Uni X, Bern), B Two and C Three')).toEqual([
			{ name: 'A One', affiliation: 'Uni X, Bern' },
			{ name: 'B Two' },
			{ name: 'C Three' }
		]);
	});

	it('maps columns by header name and reports every row it could not import', () => {
		const { papers, problems } = readCsvExport(fixture('accepted.csv'), 'accepted.csv');
		expect(papers.map((p) => p.title)).toEqual([
			'Hybrid Explanation-Guided Learning for Transformer-Based Chest X-Ray Diagnosis',
			'Evaluating the Explainability of Vision Transformers in Medical Imaging',
			'hybrid explanation-guided learning for transformer-based chest x-ray diagnosis',
			'From Explainable to Explained AI: Ideas for Falsifying and Quantifying Explanations'
		]);
		const [shu, barekatain] = papers;
		expect(shu.authors).toEqual([
			{ name: 'Shelley Zixin Shu', affiliation: 'University of Bern' },
			{ name: 'Aurélie Pahud de Mortanges', affiliation: 'University of Bern' },
			{ name: 'Mauricio Reyes', affiliation: 'University of Bern' }
		]);
		expect(shu.abstract).toBe(
			'Explanations guide training, "hybrid" style. Second line of the abstract.'
		);
		expect(shu.arxiv).toBe('2508.01234v2');
		expect(shu.type).toBe('oral');
		expect(barekatain.type).toBe('poster');
		expect(barekatain.arxiv).toBe('2510.12021');
		expect(papers[3].authors[0]).toEqual({
			name: 'Yoni Schirris',
			affiliation: 'Netherlands Cancer Institute'
		});
		expect(problems.map((p) => `${p.origin}: ${p.message}`)).toEqual([
			'accepted.csv header: column "Reviewer Score" is not mapped to any paper field (ignored)',
			'accepted.csv row 4 (#17): not accepted (decision "Reject")',
			'accepted.csv row 5 (#21): no title',
			'accepted.csv row 7 (#23): type: "Demo session" is not oral, poster, keynote or invited',
			'accepted.csv row 7 (#23): arxiv: "not-an-id" is not an arXiv id or URL'
		]);
	});

	it('refuses a file without a title column', () => {
		const { papers, problems } = readCsvExport('Name,Authors\nx,y\n', 'x.csv');
		expect(papers).toEqual([]);
		expect(problems.map((p) => p.message)).toContainEqual(
			expect.stringMatching(/^no title column \(expected one of: title, paper title/)
		);
	});
});

describe('paperIdFor', () => {
	it('makes readable ids from the first author, two title words and the year', () => {
		expect(
			paperIdFor(
				{ title: 'Minimum Data, Maximum Impact', authors: [{ name: 'Luisa Gallée' }] },
				2025
			)
		).toBe('gallee-minimum-data-2025');
		expect(
			paperIdFor({ title: 'The Role of X', authors: [{ name: 'Bram van Ginneken' }] }, 2019)
		).toBe('van-ginneken-role-x-2019');
	});
});

describe('npm run import', () => {
	it('writes valid paper files that the corpus reader accepts', async () => {
		const dir = papersDir();
		const { status, output } = await run([
			'tests/fixtures/import/springer.bib',
			'--edition',
			'imimic-2025',
			'--papers',
			dir
		]);
		expect(status).toBe(2);
		expect(output).toContain('duplicate');
		const files = readdirSync(join(dir, 'imimic-2025')).sort();
		expect(files).toEqual([
			'edition.yaml',
			'ghamary-protoefnet-dynamic-2025.yaml',
			'nguyen-vleer-vision-2025.yaml'
		]);
		const paper = readPaper(dir, 'imimic-2025/ghamary-protoefnet-dynamic-2025.yaml');
		expect(paper.authors).toEqual(['Yaganeh Ghamary', 'Jörg Ziegler', 'Søren Ørsted']);
		expect(paper.doi).toBe('10.1007/978-3-032-05001-1_8');
		expect(paper.sources).toEqual(['springer.bib (10.1007/978-3-032-05001-1_8)']);

		const corpus = await readCorpus(dir);
		expect(corpus.issues.filter((i) => i.severity === 'error')).toEqual([]);
		expect(corpus.papers.map((p) => p.id).sort()).toEqual([
			'ghamary-protoefnet-dynamic-2025',
			'nguyen-vleer-vision-2025'
		]);
	});

	it('never overwrites a changed file without --force, and keeps curated fields with it', async () => {
		const dir = papersDir();
		await run(['tests/fixtures/import/springer.bib', '--edition', 'imimic-2025', '--papers', dir]);
		const file = 'imimic-2025/ghamary-protoefnet-dynamic-2025.yaml';
		const curated = {
			...readPaper(dir, file),
			title: 'A curator fixed this title',
			topics: ['prototypes']
		};
		const { stringify } = await import('yaml');
		writeFileSync(join(dir, file), stringify(curated));

		const again = await run([
			'tests/fixtures/import/springer.bib',
			'--edition',
			'imimic-2025',
			'--papers',
			dir
		]);
		expect(again.output).toContain(`changed    ${file}`);
		expect(again.output).toContain(
			'title: "A curator fixed this title" → "ProtoEFNet: Dynamic Prototype'
		);
		expect(again.output).toContain('kept: use --force to replace');
		expect(readPaper(dir, file).title).toBe('A curator fixed this title');
		expect(readdirSync(join(dir, 'imimic-2025'))).toHaveLength(3);

		const forced = await run([
			'tests/fixtures/import/springer.bib',
			'--edition',
			'imimic-2025',
			'--papers',
			dir,
			'--force'
		]);
		expect(forced.output).toContain('replaced: --force');
		const replaced = readPaper(dir, file);
		expect(replaced.title).toMatch(/^ProtoEFNet: Dynamic Prototype/);
		expect(replaced.topics).toEqual(['prototypes']);
	});

	it('refuses a paper another edition already lists (same DOI) unless --force, and the ingest then warns', async () => {
		const dir = papersDir();
		mkdirSync(join(dir, 'imimic-2019'));
		writeFileSync(
			join(dir, 'imimic-2019', 'edition.yaml'),
			'title: iMIMIC 2019\nyear: 2019\ncomplete: false\n'
		);
		writeFileSync(
			join(dir, 'imimic-2019', 'yeche-ubs-2019.yaml'),
			'title: "UBS: A Dimension-Agnostic Metric for Concept Vector Interpretability"\nauthors: [Hugo Yeche]\ndoi: "10.1007/978-3-030-33850-3_2"\n'
		);
		const bib = join(dir, 'wrong-edition.bib');
		writeFileSync(
			bib,
			'@inproceedings{ubs, author = {Yeche, Hugo}, title = {A Metric for Concept Vectors}, doi = {10.1007/978-3-030-33850-3_2}, note = {Oral presentation. Best Paper Award}}\n'
		);

		const refused = await run([bib, '--edition', 'imimic-2025', '--papers', dir]);
		expect(refused.status).toBe(1);
		expect(refused.output).toContain(
			'error      wrong-edition.bib:1 @inproceedings{ubs}: the same DOI 10.1007/978-3-030-33850-3_2 as imimic-2019/yeche-ubs-2019.yaml'
		);
		expect(readdirSync(join(dir, 'imimic-2025'))).toEqual(['edition.yaml']);

		const forced = await run([bib, '--edition', 'imimic-2025', '--papers', dir, '--force']);
		expect(forced.status).toBe(0);
		const written = readdirSync(join(dir, 'imimic-2025')).filter((f) => f !== 'edition.yaml');
		expect(written).toHaveLength(1);
		const paper = readPaper(dir, `imimic-2025/${written[0]}`);
		expect(paper.type).toBe('oral');
		expect(paper.award).toBe('Best Paper Award');

		const corpus = await readCorpus(dir);
		expect(
			corpus.issues.map((issue) => `${issue.severity}: ${issue.file}: ${issue.message}`)
		).toEqual([
			`warning: imimic-2025/${written[0]}: the same DOI 10.1007/978-3-030-33850-3_2 as imimic-2019/yeche-ubs-2019.yaml: is one paper listed twice? Remove one file, or correct the identifier`
		]);
	});

	it('reports an unchanged re-import and writes nothing new', async () => {
		const dir = papersDir();
		await run(['tests/fixtures/import/dblp.bib', '--edition', 'imimic-2025', '--papers', dir]);
		const before = readdirSync(join(dir, 'imimic-2025')).sort();
		const again = await run([
			'tests/fixtures/import/dblp.bib',
			'--edition',
			'imimic-2025',
			'--papers',
			dir
		]);
		expect(again.output.match(/unchanged/g)).toHaveLength(3);
		expect(again.output).toContain('wrote 0 file(s)');
		expect(readdirSync(join(dir, 'imimic-2025')).sort()).toEqual(before);
	});

	it('imports the CSV fixture, skipping the duplicate by folded title', async () => {
		const dir = papersDir();
		const { output } = await run([
			'tests/fixtures/import/accepted.csv',
			'--edition',
			'imimic-2025',
			'--papers',
			dir
		]);
		expect(output).toMatch(
			/duplicate {2}accepted\.csv row 6 \(#22\): same paper as accepted\.csv row 2 \(#12\)/
		);
		expect(output).toContain('not imported (2):');
		expect(readdirSync(join(dir, 'imimic-2025')).sort()).toEqual([
			'barekatain-evaluating-explainability-2025.yaml',
			'edition.yaml',
			'schirris-explainable-explained-2025.yaml',
			'shu-hybrid-explanation-2025.yaml'
		]);
		const corpus = await readCorpus(dir);
		expect(corpus.issues.filter((i) => i.severity === 'error')).toEqual([]);
	});

	it('--dry-run writes nothing', async () => {
		const dir = papersDir();
		const { output } = await run([
			'tests/fixtures/import/dblp.bib',
			'--edition',
			'imimic-2025',
			'--papers',
			dir,
			'--dry-run'
		]);
		expect(output).toContain('dry run: nothing written (3 new, 0 changed)');
		expect(readdirSync(join(dir, 'imimic-2025'))).toEqual(['edition.yaml']);
	});

	it('rejects a missing --edition with the usage line', () => {
		expect(() => parseArgs(['x.bib'])).toThrow(/--edition is required\nusage: npm run import/);
	});
});
