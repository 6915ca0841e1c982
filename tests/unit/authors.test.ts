import { describe, expect, it } from 'vitest';
import type { Author, Paper } from '../../src/lib/types.ts';
import { makePaper } from '../fixtures/paper.ts';
import {
	authorMatchKey,
	buildAuthorIndex,
	parseAuthorAliases
} from '../../src/lib/corpus/authors.ts';

let counter = 0;
function paper(year: number, authors: (string | Author)[], id = `p${++counter}`): Paper {
	return makePaper({
		id,
		year,
		edition: String(year),
		authors: authors.map((a) => (typeof a === 'string' ? { name: a } : a))
	});
}

const byName = (index: ReturnType<typeof buildAuthorIndex>, name: string) =>
	index.authors.filter((a) => a.name === name || a.variants.includes(name));

describe('authorMatchKey', () => {
	it('folds accents, case, punctuation and the inverted form', () => {
		expect(authorMatchKey('Henning Müller')).toBe('henning muller');
		expect(authorMatchKey('Müller, Henning')).toBe('henning muller');
		expect(authorMatchKey('Luisa  GALLÉE')).toBe('luisa gallee');
	});
});

describe('buildAuthorIndex', () => {
	it('merges spellings that differ only by accents, keeping the accented one shown', () => {
		const index = buildAuthorIndex([
			paper(2025, ['Luisa Gallée', 'Bob Smith']),
			paper(2024, ['Luisa Gallee']),
			paper(2023, ['Luisa Gallée'])
		]);
		const [luisa] = byName(index, 'Luisa Gallée');
		expect(luisa.name).toBe('Luisa Gallée');
		expect(luisa.variants).toEqual(['Luisa Gallee']);
		expect(luisa.papers).toHaveLength(3);
		expect(luisa.id).toBe('luisa-gallee');
	});

	it('merges different spellings that share an ORCID', () => {
		const orcid = '0000-0001-2345-6789';
		const index = buildAuthorIndex([
			paper(2025, [{ name: 'Mara Graziani', orcid }]),
			paper(2019, [{ name: 'M. Graziani', orcid: `https://orcid.org/${orcid}` }])
		]);
		expect(index.authors).toHaveLength(1);
		expect(index.authors[0]).toMatchObject({
			name: 'Mara Graziani',
			orcid,
			variants: ['M. Graziani']
		});
	});

	it('keeps two people with the same name but different ORCIDs apart', () => {
		const index = buildAuthorIndex([
			paper(2025, [{ name: 'Wei Li', orcid: '0000-0001-0000-0001' }, 'Ann Lee']),
			paper(2022, [{ name: 'Wei Li', orcid: '0000-0002-0000-0002' }]),
			paper(2021, ['Wei Li'])
		]);
		const weis = byName(index, 'Wei Li');
		expect(weis).toHaveLength(3);
		expect(new Set(weis.map((w) => w.id)).size).toBe(3);
		expect(weis.map((w) => w.papers.length)).toEqual([1, 1, 1]);
		expect(
			weis.find((w) => w.orcid === '0000-0001-0000-0001')!.coauthors.map((c) => c.name)
		).toEqual(['Ann Lee']);
	});

	it('joins a byline without ORCID to the only ORCID holder of that name', () => {
		const index = buildAuthorIndex([
			paper(2025, [{ name: 'Wilson Silva', orcid: '0000-0002-4080-9328' }]),
			paper(2020, ['Wilson Silva'])
		]);
		expect(index.authors).toHaveLength(1);
		expect(index.authors[0].papers).toHaveLength(2);
	});

	it('matches initials to the one full name that fits, and not when two fit', () => {
		const one = buildAuthorIndex([paper(2025, ['Henning Müller']), paper(2018, ['H. Müller'])]);
		expect(one.authors).toHaveLength(1);
		expect(one.authors[0].name).toBe('Henning Müller');

		const two = buildAuthorIndex([
			paper(2025, ['Henning Müller']),
			paper(2024, ['Hans Müller']),
			paper(2018, ['H. Müller'])
		]);
		expect(two.authors).toHaveLength(3);
	});

	it('maps each byline to its profile and counts co-authors', () => {
		const a = paper(2025, ['Ann Lee', 'Bob Smith', 'Cid Roe'], 'a');
		const b = paper(2024, ['Bob Smith', 'Ann Lee'], 'b');
		const index = buildAuthorIndex([a, b]);
		expect(index.byPaper.a).toEqual(['ann-lee', 'bob-smith', 'cid-roe']);
		expect(index.byPaper.b).toEqual(['bob-smith', 'ann-lee']);
		const ann = index.authors.find((p) => p.id === 'ann-lee')!;
		expect(ann.papers).toEqual(['a', 'b']);
		expect(ann.coauthors).toEqual([
			{ id: 'bob-smith', name: 'Bob Smith', papers: 2 },
			{ id: 'cid-roe', name: 'Cid Roe', papers: 1 }
		]);
	});

	it('applies curator merges and splits', () => {
		const { aliases, issues } = parseAuthorAliases(`
merge:
  - name: Shelley Zixin Shu
    variants: [Zixin Shu, S. Z. Shu]
split:
  - name: Ann Lee
    papers: [other-ann]
    id: ann-lee-oslo
`);
		expect(issues).toEqual([]);
		const index = buildAuthorIndex(
			[
				paper(2025, ['Shelley Zixin Shu', 'Ann Lee'], 'x'),
				paper(2023, ['Zixin Shu'], 'y'),
				paper(2022, ['Ann Lee'], 'other-ann')
			],
			aliases
		);
		const shu = index.authors.find((p) => p.name === 'Shelley Zixin Shu')!;
		expect(shu.papers).toEqual(['x', 'y']);
		const anns = byName(index, 'Ann Lee');
		expect(anns.map((p) => p.id).sort()).toEqual(['ann-lee', 'ann-lee-oslo']);
		expect(anns.find((p) => p.id === 'ann-lee-oslo')!.papers).toEqual(['other-ann']);
	});

	it('merges by the ORCID of a rule as by its variants, and keeps two splits of one name apart', () => {
		const { aliases, issues } = parseAuthorAliases(`
merge:
  - name: Mauricio Reyes
    orcid: 0000-0002-2434-9990
split:
  - name: Ann Lee
    papers: [ann-oslo-1, ann-oslo-2]
    id: ann-lee-oslo
  - name: Ann Lee
    papers: [ann-lima]
    id: ann-lee-lima
`);
		expect(issues).toEqual([]);
		const index = buildAuthorIndex(
			[
				paper(2025, [{ name: 'M. Reyes', orcid: '0000-0002-2434-9990' }, 'Ann Lee'], 'r1'),
				paper(2024, [{ name: 'Mauricio A. Reyes', orcid: '0000-0002-2434-9990' }], 'r2'),
				paper(2023, ['Mauricio Reyes', 'Ann Lee'], 'ann-oslo-1'),
				paper(2022, ['Ann Lee'], 'ann-oslo-2'),
				paper(2021, ['Ann Lee'], 'ann-lima')
			],
			aliases
		);
		const reyes = index.authors.filter((p) => p.name === 'Mauricio Reyes');
		expect(reyes).toHaveLength(1);
		expect(reyes[0].papers.sort()).toEqual(['ann-oslo-1', 'r1', 'r2']);
		const anns = Object.fromEntries(byName(index, 'Ann Lee').map((p) => [p.id, p.papers.sort()]));
		expect(anns).toEqual({
			'ann-lee': ['r1'],
			'ann-lee-oslo': ['ann-oslo-1', 'ann-oslo-2'],
			'ann-lee-lima': ['ann-lima']
		});
	});

	it('sorts people by folded family name', () => {
		const index = buildAuthorIndex([paper(2025, ['Zoe Nguyen', 'Henning Müller', 'Ana Moreno'])]);
		expect(index.authors.map((a) => a.name)).toEqual([
			'Ana Moreno',
			'Henning Müller',
			'Zoe Nguyen'
		]);
	});
});

describe('parseAuthorAliases', () => {
	it('names the file and field of each bad rule and keeps the good ones', () => {
		const { aliases, issues } = parseAuthorAliases(
			`
merge:
  - name: ''
  - name: A B
    variants: [A. B.]
split:
  - name: C D
    papers: []
colour: blue
`,
			'aliases.yaml'
		);
		expect(aliases.merge).toEqual([{ name: 'A B', variants: ['A. B.'] }]);
		expect(issues.map((i) => `${i.file}: ${i.field}: ${i.message}`)).toEqual([
			'aliases.yaml: colour: unknown key (expected merge or split)',
			'aliases.yaml: merge[0].name: is empty',
			'aliases.yaml: split[0].papers: expected a non-empty list of paper ids'
		]);
	});
});
