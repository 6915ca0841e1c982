import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatIssue, readCorpus } from '../../src/lib/corpus/index.ts';
import { parsedYamlKey, type ParsedYamlCache } from '../../src/lib/corpus/read.ts';

const MINIMAL = resolve(import.meta.dirname, '../fixtures/corpus/minimal');

const TAXONOMY = `threshold: 0.4
synonyms:
  - [heatmap, saliency map]
topics:
  - id: uncertainty
    label: Uncertainty
    facet: topic
    description: How sure the model is.
    terms:
      - { term: uncertainty, weight: 2 }
  - id: grad-cam
    label: Grad-CAM
    facet: method
    description: Gradient-weighted class activation maps.
    terms:
      - { term: grad-cam, weight: 3 }
`;
const EDITION = 'title: Demo 2024\nyear: 2024\ncomplete: false\n';
const PAPER = 'title: A fine paper\nauthors: [Ada Example]\n';
/** Another valid paper: its own title, so that it is not taken for the same paper listed twice. */
const OTHER_PAPER = 'title: Another study altogether\nauthors: [Ada Example]\n';

const made: string[] = [];

/** Writes a papers folder: a valid taxonomy and `ed/edition.yaml`, plus (or minus) `files`. */
function corpusWith(files: Record<string, string | null>): string {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-corpus-'));
	made.push(dir);
	const all: Record<string, string | null> = {
		'taxonomy.yaml': TAXONOMY,
		'ed/edition.yaml': EDITION,
		...files
	};
	for (const [path, content] of Object.entries(all)) {
		if (content === null) continue;
		mkdirSync(dirname(join(dir, path)), { recursive: true });
		writeFileSync(join(dir, path), content);
	}
	return dir;
}

/** Reads a corpus and returns its issues as printed by the ingest report. */
async function messagesOf(files: Record<string, string | null>): Promise<string[]> {
	const result = await readCorpus(corpusWith(files));
	return result.issues.map(formatIssue);
}

afterEach(() => {
	for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('readCorpus', () => {
	describe('a valid corpus', () => {
		it('reads the taxonomy, the edition and a paper with every kind of author', async () => {
			const result = await readCorpus(MINIMAL);
			expect(result.issues).toEqual([]);
			expect(result.taxonomy?.topics.map((topic) => topic.id)).toEqual(['uncertainty', 'grad-cam']);
			expect(result.taxonomy?.threshold).toBe(0.4);
			expect(result.taxonomy?.synonyms).toEqual([['heatmap', 'saliency map']]);
			expect(result.editions).toEqual([
				{ id: 'demo-2024', title: 'Demo workshop 2024', year: 2024, complete: true }
			]);
			expect(result.papers).toEqual([
				{
					id: 'valid-paper',
					edition: 'demo-2024',
					title: 'A valid paper',
					authors: [
						{ name: 'Ada Example' },
						{
							name: 'Bo Example',
							affiliation: 'Example University',
							orcid: '0000-0002-1825-0097',
							aliases: ['B. Example']
						}
					],
					type: 'oral',
					topics: ['uncertainty'],
					doi: '10.1234/example.5678',
					arxiv: '2301.01234v2',
					pages: '1-10',
					file: 'demo-2024/valid-paper.yaml'
				}
			]);
		});

		it('sets pdfPath when <id>.pdf sits beside the YAML, and a YAML without PDF is fine', async () => {
			const dir = corpusWith({
				'ed/with-pdf.yaml': PAPER,
				'ed/with-pdf.pdf': '%PDF-1.4',
				'ed/without-pdf.yaml': OTHER_PAPER
			});
			const result = await readCorpus(dir);
			expect(result.issues).toEqual([]);
			const byId = new Map(result.papers.map((paper) => [paper.id, paper]));
			expect(byId.get('with-pdf')?.pdfPath).toBe(join(dir, 'ed', 'with-pdf.pdf'));
			expect(byId.get('without-pdf')?.pdfPath).toBeUndefined();
		});

		it('accepts old- and new-style arXiv ids and an ORCID given as a URL', async () => {
			const result = await readCorpus(
				corpusWith({
					'ed/old.yaml': `${PAPER}arxiv: math/0501001\n`,
					'ed/new.yaml': `${OTHER_PAPER}arxiv: "0704.0001"\n`,
					'ed/orcid.yaml':
						'title: T\nauthors:\n  - { name: A, orcid: "https://orcid.org/0000-0001-5109-3700" }\n'
				})
			);
			expect(result.issues).toEqual([]);
			expect(result.papers.find((paper) => paper.id === 'orcid')?.authors[0].orcid).toBe(
				'0000-0001-5109-3700'
			);
		});
	});

	describe('paper validation', () => {
		it('names an unknown key and suggests the nearest known one', async () => {
			expect(await messagesOf({ 'ed/p.yaml': `${PAPER}keyword: [xai]\n` })).toEqual([
				'ed/p.yaml: keyword: unknown key (did you mean "keywords"?)'
			]);
			const [message] = await messagesOf({ 'ed/p.yaml': `${PAPER}colour: red\n` });
			expect(message).toMatch(/^ed\/p\.yaml: colour: unknown key \(known keys: title, authors, /);
		});

		it('names an unknown key inside an author', async () => {
			expect(
				await messagesOf({
					'ed/p.yaml': 'title: T\nauthors:\n  - { name: Ada, afiliation: Bern }\n'
				})
			).toEqual(['ed/p.yaml: authors[0].afiliation: unknown key (did you mean "affiliation"?)']);
		});

		it('reports wrong types', async () => {
			expect(await messagesOf({ 'ed/p.yaml': 'title: 42\nauthors: [A]\n' })).toEqual([
				'ed/p.yaml: title: must be text, not a number (42)'
			]);
			expect(await messagesOf({ 'ed/p.yaml': `${PAPER}keywords: xai\n` })).toEqual([
				'ed/p.yaml: keywords: must be a list of texts, not text'
			]);
			expect(await messagesOf({ 'ed/p.yaml': 'title: T\nauthors: Ada Example\n' })).toEqual([
				'ed/p.yaml: authors: must be a list of authors, not text'
			]);
			expect(await messagesOf({ 'ed/p.yaml': '- title\n- authors\n' })).toEqual([
				'ed/p.yaml: must be a mapping of fields (title, authors, ...), not a list'
			]);
		});

		it('reports missing required fields', async () => {
			expect(await messagesOf({ 'ed/p.yaml': 'authors: [A]\n' })).toEqual([
				'ed/p.yaml: title: is required'
			]);
			expect(await messagesOf({ 'ed/p.yaml': 'title: T\n' })).toEqual([
				'ed/p.yaml: authors: is required (a list of names or {name, affiliation, orcid})'
			]);
			expect(await messagesOf({ 'ed/p.yaml': 'title: T\nauthors: []\n' })).toEqual([
				'ed/p.yaml: authors: is empty: at least one author is required'
			]);
		});

		it('reports empty author names by position', async () => {
			expect(await messagesOf({ 'ed/p.yaml': 'title: T\nauthors: [Ada, ""]\n' })).toEqual([
				'ed/p.yaml: authors[1]: is empty'
			]);
			expect(
				await messagesOf({ 'ed/p.yaml': 'title: T\nauthors:\n  - Ada\n  - { name: " " }\n' })
			).toEqual(['ed/p.yaml: authors[1].name: is empty']);
			expect(
				await messagesOf({ 'ed/p.yaml': 'title: T\nauthors:\n  - { affiliation: Bern }\n' })
			).toEqual(['ed/p.yaml: authors[0].name: is required']);
		});

		it('reports topic ids that are not in the taxonomy', async () => {
			expect(await messagesOf({ 'ed/p.yaml': `${PAPER}topics: [uncertainty, gradcam]\n` })).toEqual(
				['ed/p.yaml: topics[1]: unknown topic id "gradcam" (not in taxonomy.yaml)']
			);
			expect(await messagesOf({ 'ed/p.yaml': `${PAPER}topics: [Grad CAM]\n` })).toEqual([
				'ed/p.yaml: topics[0]: unknown topic id "Grad CAM" (not in taxonomy.yaml; did you mean "grad-cam"?)'
			]);
		});

		it('reports a paper id used twice, naming both files, and keeps the first', async () => {
			const dir = corpusWith({
				'a-2023/edition.yaml': 'title: A\nyear: 2023\ncomplete: true\n',
				'a-2023/same.yaml': 'title: First\nauthors: [A]\n',
				'b-2024/edition.yaml': 'title: B\nyear: 2024\ncomplete: true\n',
				'b-2024/same.yaml': 'title: Second\nauthors: [B]\n'
			});
			const result = await readCorpus(dir);
			expect(result.issues.map(formatIssue)).toEqual([
				'b-2024/same.yaml: id: duplicate paper id "same": also used by a-2023/same.yaml (ids must be unique across editions)'
			]);
			expect(result.papers.map((paper) => paper.title)).toEqual(['First']);
		});

		it('reports malformed DOIs', async () => {
			expect(await messagesOf({ 'ed/p.yaml': `${PAPER}doi: 10.12/abc\n` })).toEqual([
				'ed/p.yaml: doi: "10.12/abc" is not a DOI (expected 10.<4-9 digits>/<suffix>, e.g. 10.1007/978-3-030-02628-8_14)'
			]);
			expect(
				await messagesOf({
					'ed/p.yaml': `${PAPER}doi: https://doi.org/10.1007/978-3-030-02628-8_14\n`
				})
			).toEqual([
				'ed/p.yaml: doi: write the bare DOI "10.1007/978-3-030-02628-8_14", without the prefix'
			]);
		});

		it('reports malformed arXiv ids', async () => {
			expect(await messagesOf({ 'ed/p.yaml': `${PAPER}arxiv: "2301.1234"\n` })).toEqual([
				'ed/p.yaml: arxiv: "2301.1234" should have 5 digits after the dot for 2301; expected e.g. 2301.01234, 2301.01234v2 or math/0501001'
			]);
			expect(await messagesOf({ 'ed/p.yaml': `${PAPER}arxiv: "2313.01234"\n` })).toEqual([
				'ed/p.yaml: arxiv: "2313.01234" has no valid month (13); expected e.g. 2301.01234, 2301.01234v2 or math/0501001'
			]);
			expect(await messagesOf({ 'ed/p.yaml': `${PAPER}arxiv: arXiv:2301.01234\n` })).toEqual([
				'ed/p.yaml: arxiv: write the bare id "2301.01234"'
			]);
			expect(await messagesOf({ 'ed/p.yaml': `${PAPER}arxiv: 2301.01230\n` })).toEqual([
				'ed/p.yaml: arxiv: must be quoted text: YAML read it as the number 2301.0123'
			]);
		});

		it('reports ORCIDs with a wrong checksum or shape', async () => {
			const withOrcid = (orcid: string) =>
				messagesOf({ 'ed/p.yaml': `title: T\nauthors:\n  - { name: A, orcid: "${orcid}" }\n` });
			expect(await withOrcid('0000-0002-1825-0096')).toEqual([
				'ed/p.yaml: authors[0].orcid: "0000-0002-1825-0096" fails the ORCID checksum (last character should be 7): mistyped?'
			]);
			expect(await withOrcid('0000-0002-1825')).toEqual([
				'ed/p.yaml: authors[0].orcid: "0000-0002-1825" is not an ORCID iD (expected 0000-0000-0000-000X: four groups of four)'
			]);
		});

		it('reports a paper type outside the list', async () => {
			expect(await messagesOf({ 'ed/p.yaml': `${PAPER}type: talk\n` })).toEqual([
				'ed/p.yaml: type: "talk" is not a paper type (one of: oral, poster, keynote, invited, paper)'
			]);
		});

		it('reports malformed YAML with its line and column', async () => {
			const messages = await messagesOf({
				'ed/p.yaml': 'title: T\nauthors: [A\nkeywords: [x]\n'
			});
			expect(messages).toHaveLength(1);
			expect(messages[0]).toMatch(/^ed\/p\.yaml: line 3, column \d+: malformed YAML: \S/);
			expect(await messagesOf({ 'ed/p.yaml': 'title: T\ntitle: U\nauthors: [A]\n' })).toEqual([
				'ed/p.yaml: line 2, column 1: malformed YAML: Map keys must be unique'
			]);
		});

		it('reports file names that cannot be paper ids', async () => {
			expect(await messagesOf({ 'ed/My Paper.yaml': PAPER })).toEqual([
				'ed/My Paper.yaml: id: file name "My Paper" must be lower-case letters, digits and single hyphens (it becomes the paper\'s URL)'
			]);
		});

		it('skips an invalid paper and still loads the others', async () => {
			const result = await readCorpus(
				corpusWith({
					'ed/bad.yaml': 'title: [not, text]\nauthors: [A]\n',
					'ed/good.yaml': PAPER,
					'ed/also-good.yaml': OTHER_PAPER
				})
			);
			expect(result.papers.map((paper) => paper.id)).toEqual(['also-good', 'good']);
			expect(result.issues).toEqual([
				{
					file: 'ed/bad.yaml',
					field: 'title',
					message: 'must be text, not a list',
					severity: 'error'
				}
			]);
		});
	});

	describe('folders and files', () => {
		it('reports a PDF that has no YAML beside it', async () => {
			expect(await messagesOf({ 'ed/lonely.pdf': '%PDF-1.4' })).toEqual([
				'ed/lonely.pdf: PDF without metadata: add lonely.yaml beside it (title, authors); not ingested'
			]);
		});

		it('reports an edition folder without edition.yaml and skips its papers', async () => {
			const result = await readCorpus(
				corpusWith({
					'ed/edition.yaml': null,
					'ed/p.yaml': PAPER,
					'ok/edition.yaml': EDITION,
					'ok/q.yaml': PAPER
				})
			);
			expect(result.issues.map(formatIssue)).toEqual([
				'ed/edition.yaml: missing: every edition folder needs an edition.yaml (title, year, complete)',
				'ed/edition.yaml: 1 paper(s) in ed/ skipped until this file is fixed'
			]);
			expect(result.papers.map((paper) => paper.id)).toEqual(['q']);
			expect(result.editions.map((edition) => edition.id)).toEqual(['ok']);
		});

		it('reports missing and wrong edition fields', async () => {
			expect(await messagesOf({ 'ed/edition.yaml': 'venue: MICCAI\n' })).toEqual([
				'ed/edition.yaml: title: is required',
				'ed/edition.yaml: year: is required',
				'ed/edition.yaml: complete: is required (true when every paper of the edition is listed)'
			]);
			expect(
				await messagesOf({
					'ed/edition.yaml': 'title: T\nyear: "2024"\ncomplete: yes\ndate: 2024-13-01\nvolum: 3\n'
				})
			).toEqual([
				'ed/edition.yaml: volum: unknown key (did you mean "volume"?)',
				'ed/edition.yaml: year: must be a four-digit year, not text',
				'ed/edition.yaml: complete: must be true or false, not text',
				'ed/edition.yaml: date: "2024-13-01" is not a date in the form YYYY-MM-DD'
			]);
		});

		it('warns about paper files outside an edition folder', async () => {
			expect(await messagesOf({ 'stray.yaml': PAPER })).toEqual([
				'stray.yaml: not inside an edition folder (papers/<edition>/): ignored'
			]);
		});

		it('reports a missing papers folder', async () => {
			const result = await readCorpus(join(tmpdir(), 'glassbox-no-such-folder'));
			expect(result.issues.map(formatIssue)).toEqual([
				`${join(tmpdir(), 'glassbox-no-such-folder')}: papers folder not found`
			]);
		});
	});

	describe('taxonomy', () => {
		it('is fatal when missing: taxonomy null and an error, papers still read', async () => {
			const result = await readCorpus(corpusWith({ 'taxonomy.yaml': null, 'ed/p.yaml': PAPER }));
			expect(result.taxonomy).toBeNull();
			expect(result.issues.map(formatIssue)).toEqual([
				'taxonomy.yaml: missing: the topic taxonomy is required to tag papers'
			]);
			expect(result.papers.map((paper) => paper.id)).toEqual(['p']);
		});

		it('is fatal when malformed, with the line of the YAML error', async () => {
			const result = await readCorpus(
				corpusWith({ 'taxonomy.yaml': 'threshold: 0.4\ntopics: [\n' })
			);
			expect(result.taxonomy).toBeNull();
			expect(result.issues).toHaveLength(1);
			expect(formatIssue(result.issues[0])).toMatch(
				/^taxonomy\.yaml: line \d+, column \d+: malformed YAML/
			);
		});

		it('is fatal when an entry is invalid, naming the entry and field', async () => {
			const broken = TAXONOMY.replace('facet: method', 'facet: technique').replace(
				'weight: 3',
				'weight: heavy'
			);
			const result = await readCorpus(corpusWith({ 'taxonomy.yaml': broken }));
			expect(result.taxonomy).toBeNull();
			expect(result.issues.map(formatIssue)).toEqual([
				'taxonomy.yaml: topics[1].facet: "technique" is not a facet (one of: topic, method)',
				'taxonomy.yaml: topics[1].terms[0].weight: must be a positive number, not text'
			]);
		});
	});

	describe('one paper listed twice', () => {
		it('warns naming both files for a shared DOI or arXiv id, across editions too, and keeps both', async () => {
			const result = await readCorpus(
				corpusWith({
					'other/edition.yaml': 'title: Demo 2025\nyear: 2025\ncomplete: false\n',
					'ed/first.yaml': `${PAPER}doi: "10.1007/978-3-030-33850-3_2"\n`,
					'other/again.yaml':
						'title: Another title\nauthors: [B]\ndoi: "10.1007/978-3-030-33850-3_2"\n',
					'ed/preprint.yaml': 'title: Preprint one\nauthors: [C]\narxiv: "2401.00001"\n',
					'ed/preprint-v2.yaml': 'title: Preprint two\nauthors: [C]\narxiv: "2401.00001v2"\n'
				})
			);
			expect(result.papers).toHaveLength(4);
			expect(result.issues.map(formatIssue)).toEqual([
				'ed/preprint.yaml: the same arXiv id 2401.00001 as ed/preprint-v2.yaml: is one paper listed twice? Remove one file, or correct the identifier',
				'other/again.yaml: the same DOI 10.1007/978-3-030-33850-3_2 as ed/first.yaml: is one paper listed twice? Remove one file, or correct the identifier'
			]);
			expect(result.issues.every((issue) => issue.severity === 'warning')).toBe(true);
		});

		it('warns for a near-identical title (case, accents, punctuation, a typo) but not for a different one', async () => {
			expect(
				await messagesOf({
					'ed/one.yaml':
						'title: Explainability for Regression CNN in Fetal Head Circumference Estimation\nauthors: [A]\n',
					'ed/two.yaml':
						'title: "explainability for regression CNNs in fetal-head circumference estimation."\nauthors: [A]\n',
					'ed/three.yaml':
						'title: Explainability for Regression CNN in Fetal Brain Volume Estimation\nauthors: [A]\n'
				})
			).toEqual([
				'ed/two.yaml: a near-identical title as ed/one.yaml: is one paper listed twice? Remove one file, or correct the identifier'
			]);
		});
	});
});

describe('readCorpus with hostile files', () => {
	/** Ten anchors, each a list of ten aliases of the one before: 10^10 nodes if expanded. */
	const yamlBomb = () => {
		const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
		for (let i = 1; i < 10; i++) {
			lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
		}
		return `title: A bomb\nauthors: [Ada Example]\n${lines.join('\n')}\n`;
	};

	it.each([
		['a YAML bomb', yamlBomb(), /^ed\/bad\.yaml: malformed YAML: its aliases expand too far/],
		[
			'a binary file',
			'title: x\n\u0000\u0001\u0002 binary',
			/^ed\/bad\.yaml: not a text file \(binary, or not UTF-8\): not read$/
		],
		[
			'a huge file',
			`title: A paper\nauthors: [Ada Example]\nabstract: ${'word '.repeat(300_000)}\n`,
			/^ed\/bad\.yaml: 1465 KB, more than the 1024 KB a YAML file may have: not read$/
		]
	])(
		'skips only the paper whose YAML is %s, naming it, and reads the rest',
		async (_kind, bad, expected) => {
			const result = await readCorpus(corpusWith({ 'ed/good.yaml': PAPER, 'ed/bad.yaml': bad }));
			expect(result.papers.map((paper) => paper.id)).toEqual(['good']);
			expect(result.issues.map(formatIssue)).toEqual([expect.stringMatching(expected)]);
		}
	);

	/** A private file outside the papers folder, in the shape of /etc/shadow. */
	function secretOutside(): { path: string; secret: string } {
		const dir = mkdtempSync(join(tmpdir(), 'glassbox-outside-'));
		made.push(dir);
		const secret = 'root:$6$SECRETHASH:19000:0:99999:7:::';
		const path = join(dir, 'shadow');
		writeFileSync(path, `${secret}\ndaemon:*:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n`);
		return { path, secret };
	}

	it.each(['ed/linked.yaml', 'ed/good.pdf', 'taxonomy-link/edition.yaml'])(
		'refuses a symbolic link %s that leads out of papers/, naming it, never echoing the file',
		async (link) => {
			const { path, secret } = secretOutside();
			const dir = corpusWith({ 'ed/good.yaml': PAPER });
			mkdirSync(dirname(join(dir, link)), { recursive: true });
			symlinkSync(path, join(dir, link));
			const result = await readCorpus(dir);
			const messages = result.issues.map(formatIssue);
			expect(messages).toContain(
				`${link}: a symbolic link to outside the papers folder: refused, not read`
			);
			expect(JSON.stringify(result)).not.toContain('SECRETHASH');
			expect(JSON.stringify(result)).not.toContain(secret.slice(0, 10));
			expect(result.papers.map((paper) => paper.id)).toEqual(['good']);
			expect(result.papers[0].pdfPath).toBeUndefined();
		}
	);

	it('follows a symbolic link that stays inside papers/', async () => {
		const dir = corpusWith({ 'ed/good.yaml': PAPER, 'shared/good.pdf': '%PDF-1.4' });
		symlinkSync(join(dir, 'shared/good.pdf'), join(dir, 'ed/good.pdf'));
		const result = await readCorpus(dir);
		expect(result.papers[0].pdfPath).toBe(join(dir, 'ed/good.pdf'));
	});

	it('reports a file of which no key is known once, without repeating its keys', async () => {
		const { path } = secretOutside();
		const shadowLike = readFileSync(path, 'utf8');
		const result = await readCorpus(
			corpusWith({ 'ed/good.yaml': PAPER, 'ed/odd.yaml': shadowLike })
		);
		const messages = result.issues.map(formatIssue).filter((m) => m.startsWith('ed/odd.yaml'));
		expect(messages[0]).toMatch(/^ed\/odd\.yaml: none of its 3 keys is one Glassbox knows/);
		expect(messages.join('\n')).not.toContain('SECRETHASH');
		expect(messages.join('\n')).not.toContain('daemon');
	});
});

describe('readCorpus with parsed YAML kept from an earlier run', () => {
	/** A cache over a Map, whose values a test can reach into. */
	function mapCache(): ParsedYamlCache & { values: Map<string, unknown> } {
		const values = new Map<string, unknown>();
		return { values, get: (key) => values.get(key), set: (key, value) => values.set(key, value) };
	}

	it('takes an unchanged file from the cache, and parses a file again once its text changes', async () => {
		const dir = corpusWith({ 'ed/fine.yaml': PAPER });
		const parsedYaml = mapCache();
		const first = await readCorpus(dir, { parsedYaml });
		expect(first.papers[0].title).toBe('A fine paper');
		// Mark the kept value: a read that returns the mark took the file from the cache.
		const key = parsedYamlKey(PAPER);
		parsedYaml.values.set(key, { ...(parsedYaml.values.get(key) as object), title: 'Kept' });
		expect((await readCorpus(dir, { parsedYaml })).papers[0].title).toBe('Kept');
		writeFileSync(join(dir, 'ed/fine.yaml'), PAPER.replace('A fine paper', 'Edited'));
		expect((await readCorpus(dir, { parsedYaml })).papers[0].title).toBe('Edited');
	});

	it('reads the same records and issues with the cache as without it', async () => {
		const files = {
			'ed/fine.yaml': PAPER,
			'ed/other.yaml': OTHER_PAPER,
			'ed/broken.yaml': 'title: [unclosed\n',
			'ed/no-authors.yaml': 'title: Nobody wrote this\n'
		};
		const dir = corpusWith(files);
		const plain = await readCorpus(dir);
		const parsedYaml = mapCache();
		expect(await readCorpus(dir, { parsedYaml })).toEqual(plain);
		expect(await readCorpus(dir, { parsedYaml })).toEqual(plain);
		expect(plain.issues.map(formatIssue).join('\n')).toMatch(/broken\.yaml: .*malformed YAML/);
	});
});
