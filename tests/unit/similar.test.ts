import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/lib/types.ts';
import { makePaper } from '../fixtures/paper.ts';
import {
	computeSimilarity,
	countTerms,
	metadataText,
	pcaMap,
	ranked,
	type Vector
} from '../../src/lib/corpus/similar.ts';
import { seededRandom, sentences, zipfVocabulary } from '../fixtures/synthetic-text.ts';

function paper(id: string, title: string): Paper {
	return makePaper({ id, title, edition: '2025' });
}

// Three families of papers that share vocabulary inside the family only, plus a common thread.
const families: Record<string, string[]> = {
	saliency: [
		'Grad-CAM saliency heatmaps highlight the chest X-ray regions; saliency maps of pneumonia.',
		'We compare saliency heatmaps from Grad-CAM and integrated gradients on chest radiographs.',
		'Grad-CAM heatmaps and saliency faithfulness for chest X-ray classifiers, pneumonia cases.'
	],
	uncertainty: [
		'Monte Carlo dropout uncertainty and calibration of segmentation networks for brain tumours.',
		'Epistemic uncertainty, dropout ensembles and calibration error on brain MRI segmentation.',
		'Calibration of predictive uncertainty with deep ensembles for brain tumour segmentation.'
	],
	prototypes: [
		'Prototype layers learn interpretable prototypes of echocardiography frames and ejection fraction.',
		'Case-based reasoning with learned prototypes for echocardiography; prototype similarity scores.',
		'Interpretable prototypes explain ejection fraction estimation from echocardiography videos.'
	]
};

const papers: Paper[] = [];
const pageTexts = new Map<string, string[]>();
for (const [family, texts] of Object.entries(families)) {
	texts.forEach((text, i) => {
		const id = `${family}-${i}`;
		papers.push(paper(id, `A study ${i} of ${family}`));
		pageTexts.set(id, [text, 'Deep learning models in medical imaging need explanations.']);
	});
}

describe('computeSimilarity', () => {
	const { similar, map } = computeSimilarity(papers, pageTexts);

	it('ranks papers of the same family as the nearest neighbours', () => {
		for (const p of papers) {
			const family = p.id.split('-')[0];
			const [first, second] = similar[p.id];
			expect(first.id.split('-')[0]).toBe(family);
			expect(second.id.split('-')[0]).toBe(family);
			expect(first.score).toBeGreaterThan(0);
			expect(first.score).toBeGreaterThanOrEqual(second.score);
		}
	});

	it('never lists a paper as similar to itself, and keeps at most five', () => {
		for (const p of papers) {
			expect(similar[p.id].map((s) => s.id)).not.toContain(p.id);
			expect(similar[p.id].length).toBeLessThanOrEqual(5);
		}
	});

	it('explains each neighbour by the terms the two papers share, in their written form', () => {
		const terms = similar['saliency-0'][0].terms;
		expect(terms.length).toBeGreaterThan(0);
		expect(
			terms.some((t) => ['grad-cam', 'saliency', 'heatmaps', 'chest', 'pneumonia'].includes(t))
		).toBe(true);
		const uncertaintyTerms = similar['uncertainty-1'][0].terms;
		expect(
			uncertaintyTerms.some((t) => ['uncertainty', 'calibration', 'brain', 'dropout'].includes(t))
		).toBe(true);
	});

	it('places papers of one family closer together on the map than to the others', () => {
		expect(map).toHaveLength(papers.length);
		const at = new Map(map.map((p) => [p.id, p]));
		const distance = (a: string, b: string) =>
			Math.hypot(at.get(a)!.x - at.get(b)!.x, at.get(a)!.y - at.get(b)!.y);
		for (const family of Object.keys(families)) {
			const inside = Math.max(
				distance(`${family}-0`, `${family}-1`),
				distance(`${family}-0`, `${family}-2`)
			);
			for (const other of Object.keys(families).filter((f) => f !== family)) {
				expect(distance(`${family}-0`, `${other}-0`)).toBeGreaterThan(inside);
			}
		}
		for (const point of map) {
			expect(Math.abs(point.x)).toBeLessThanOrEqual(1);
			expect(Math.abs(point.y)).toBeLessThanOrEqual(1);
		}
	});

	it('is deterministic from build to build', () => {
		expect(computeSimilarity(papers, pageTexts)).toEqual({ similar, map });
	});

	it('gives a paper with no shared vocabulary no neighbours instead of random ones', () => {
		const lonely = paper('lonely', 'Zebrafish husbandry');
		const result = computeSimilarity([...papers, lonely], pageTexts);
		expect(result.similar.lonely).toEqual([]);
	});
});

describe('computeSimilarity: a floor on what counts as similar', () => {
	// Twelve papers on twelve subjects, eight of them written in the same generic prose.
	const subjects = [
		'glioma grading from multi-sequence brain MRI',
		'vertebral fracture detection on spine radiographs',
		'lung nodule malignancy from chest computed tomography',
		'diabetic retinopathy from fundus photographs',
		'skin lesion classification from dermoscopy',
		'mammography mass detection in breast screening',
		'cardiac ejection fraction from echocardiography',
		'colon polyp detection in colonoscopy video',
		'prostate cancer grading on histopathology slides',
		'knee osteoarthritis severity from radiographs',
		'fetal head circumference from ultrasound',
		'liver lesion segmentation in abdominal scans'
	];
	const generic =
		'About this pdf: here we show learning results. There is room for improvement, see the bar plot.';
	const papers = subjects.map((_, i) => paper(`subject-${i}`, `Study ${i}`));
	const pageTexts = new Map(
		subjects.map((subject, i) => [
			`subject-${i}`,
			[i < 8 ? `${subject}. ${generic} ${generic}` : `${subject}.`]
		])
	);

	it('lists no neighbour for papers that share only words found in most papers', () => {
		const { similar } = computeSimilarity(papers, pageTexts);
		for (const item of papers) {
			const listed = similar[item.id].filter((other) => other.id.startsWith('subject-'));
			expect(listed, item.id).toEqual([]);
		}
	});

	it('never shows a word found in most papers as a shared term', () => {
		const twin = paper('twin', 'Study twin');
		const texts = new Map(pageTexts);
		texts.set('twin', [`Glioma grading. ${generic}`]);
		const { similar } = computeSimilarity([...papers, twin], texts);
		const [neighbour] = similar.twin;
		expect(neighbour.id).toBe('subject-0');
		for (const term of neighbour.terms) {
			expect(['about', 'pdf', 'here', 'learning', 'room', 'bar', 'plot']).not.toContain(term);
		}
		expect(neighbour.terms).toEqual(expect.arrayContaining(['glioma', 'grading']));
	});

	it('does not list a paper that shares a single specific word', () => {
		const one = paper('one-word', 'Study one word');
		const texts = new Map(pageTexts);
		texts.set('one-word', [`Echocardiography. ${generic}`]);
		const { similar } = computeSimilarity([...papers, one], texts);
		expect(similar['one-word']).toEqual([]);
	});
});

/**
 * The similarity of the implementation before term lists (Maps of terms and written forms per
 * paper, every dot product by brute force), kept as the oracle the faster one must agree with
 * to the last digit.
 */
function similarityByMaps(papers: Paper[], pageTexts: Map<string, string[]>, termsPerPaper = 300) {
	const surfaces = new Map<string, Map<string, number>>();
	const add = (total: Map<string, number>, part: Map<string, number>) => {
		for (const [key, count] of part) total.set(key, (total.get(key) ?? 0) + count);
	};
	const addForms = (part: Map<string, Map<string, number>>) => {
		for (const [term, forms] of part) {
			if (!surfaces.has(term)) surfaces.set(term, new Map());
			add(surfaces.get(term)!, forms);
		}
	};
	const counts = papers.map((paper) => {
		const metadata = countTerms(metadataText(paper));
		addForms(metadata.surfaces);
		const pages = pageTexts.get(paper.id) ?? [];
		if (pages.length === 0) return metadata.counts;
		const pageTerms = countTerms(pages.join('\n'));
		addForms(pageTerms.surfaces);
		const total = new Map(metadata.counts);
		add(total, pageTerms.counts);
		return total;
	});
	const df = new Map<string, number>();
	const fullDf = new Map<string, number>();
	const fullTexts = papers.filter((p) => (pageTexts.get(p.id)?.length ?? 0) > 0).length;
	counts.forEach((termCounts, i) => {
		const fullText = (pageTexts.get(papers[i].id)?.length ?? 0) > 0;
		for (const term of termCounts.keys()) {
			df.set(term, (df.get(term) ?? 0) + 1);
			if (fullText) fullDf.set(term, (fullDf.get(term) ?? 0) + 1);
		}
	});
	const n = papers.length;
	const maxDf = Math.max(3, Math.floor(n * 0.25));
	const maxFullDf = Math.max(3, Math.floor(fullTexts * 0.25));
	const vectors: Vector[] = counts.map((termCounts) => {
		const weights = [...termCounts]
			.filter(([t]) => df.get(t)! >= 2 && df.get(t)! <= maxDf && (fullDf.get(t) ?? 0) <= maxFullDf)
			.map(([t, c]): [string, number] => [t, (1 + Math.log(c)) * Math.log(n / df.get(t)!)])
			.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
			.slice(0, termsPerPaper);
		const norm = Math.sqrt(weights.reduce((sum, [, w]) => sum + w * w, 0)) || 1;
		return new Map(weights.map(([t, w]) => [t, w / norm]));
	});
	const shown = (term: string) =>
		[...surfaces.get(term)!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
	const similar: Record<string, { id: string; score: number; terms: string[] }[]> = {};
	papers.forEach((paper, i) => {
		const pairs = papers
			.map((_, j) => {
				let score = 0;
				for (const [t, w] of vectors[i]) score += w * (vectors[j].get(t) ?? 0);
				return { j, score };
			})
			.filter(({ j, score }) => j !== i && score >= 0.15)
			.sort((a, b) => b.score - a.score || papers[a.j].id.localeCompare(papers[b.j].id));
		similar[paper.id] = [];
		for (const { j, score } of pairs) {
			if (similar[paper.id].length === 5) break;
			const shared = [...vectors[i]]
				.filter(([t]) => vectors[j].has(t))
				.map(([t, w]): [string, number] => [t, w * vectors[j].get(t)!])
				.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
				.slice(0, 5);
			if (shared.length < 2) continue;
			const terms = shared.map(([t]) => shown(t));
			similar[paper.id].push({ id: papers[j].id, score: Math.round(score * 1000) / 1000, terms });
		}
	});
	const map = pcaMap(vectors).map(([x, y], i) => ({ id: papers[i].id, x, y }));
	return { similar, map };
}

/**
 * Papers of seeded Zipf text, a quarter of them metadata only, the rest with pages, their words
 * written in several forms (capitalised, plural, hyphenated compounds), so that shown forms,
 * ties of weight and the limit of 300 terms all come into play.
 */
function generatedPapers(count: number, seed: number) {
	const vocabulary = zipfVocabulary(4000, seed);
	const random = seededRandom(seed + 1);
	const varied = (text: string) =>
		text.replace(/\b\p{L}+\b/gu, (word) => {
			const roll = random();
			if (roll < 0.4) return word[0].toUpperCase() + word.slice(1);
			if (roll < 0.45) return `${word}s`;
			if (roll < 0.48) return `${word}-${vocabulary.words[Math.floor(random() * 50)]}`;
			return word;
		});
	// Twelve subjects of thirty words each: papers on one subject share some of its words.
	const subjects = Array.from({ length: 12 }, (_, k) =>
		vocabulary.words.slice(300 + k * 30, 330 + k * 30)
	);
	const onSubject = (subject: string[], words: number) =>
		varied(
			Array.from({ length: words }, () => subject[Math.floor(random() * subject.length)]).join(' ')
		);
	const papers: Paper[] = [];
	const pageTexts = new Map<string, string[]>();
	for (let i = 0; i < count; i++) {
		const id = `generated-${String(i).padStart(3, '0')}`;
		const subject = subjects[i % subjects.length];
		papers.push({
			...paper(id, varied(sentences(vocabulary, random, 8)).replace(/[.,]/g, '')),
			abstract: `${varied(sentences(vocabulary, random, 60))} ${onSubject(subject, 10)}`,
			keywords: Array.from({ length: 3 }, () => subject[Math.floor(random() * subject.length)])
		});
		if (i % 4 !== 3) {
			const pages = Array.from(
				{ length: 1 + (i % 5) },
				() => `${varied(sentences(vocabulary, random, 150))} ${onSubject(subject, 20)}`
			);
			pageTexts.set(id, pages);
		}
	}
	return { papers, pageTexts };
}

describe('computeSimilarity, against the implementation before term lists', () => {
	it('gives the same neighbours, scores, shown terms and map on generated papers', () => {
		const { papers, pageTexts } = generatedPapers(160, 5);
		const result = computeSimilarity(papers, pageTexts);
		expect(Object.values(result.similar).flat().length).toBeGreaterThan(160);
		expect(result).toEqual(similarityByMaps(papers, pageTexts));
	});

	it('keeps the same strongest terms when fewer are kept than the papers have', () => {
		const { papers, pageTexts } = generatedPapers(80, 9);
		expect(computeSimilarity(papers, pageTexts, { termsPerPaper: 12 })).toEqual(
			similarityByMaps(papers, pageTexts, 12)
		);
	});

	it('gives the same results on the small families above', () => {
		expect(computeSimilarity(papers, pageTexts)).toEqual(similarityByMaps(papers, pageTexts));
	});
});

describe('ranked', () => {
	it('gives candidates in the order of a full sort, however many there are and however tied', () => {
		const random = seededRandom(3);
		const byRank = (a: { j: number; score: number }, b: { j: number; score: number }) =>
			b.score - a.score || a.j - b.j;
		for (const count of [0, 5, 64, 65, 500]) {
			// Scores on a coarse grid, so that many tie, the one at the cut among them.
			const candidates = Array.from({ length: count }, (_, j) => ({
				j,
				score: Math.floor(random() * 40) / 40
			}));
			const all = [...ranked([...candidates], byRank)];
			expect(all).toEqual([...candidates].sort(byRank));
		}
	});
});

describe('pcaMap', () => {
	it('recovers the main axis of points spread along a line', () => {
		// Points on a line in a 2D feature space: (t, 2t).
		const ts = [-2, -1, 0, 1, 2];
		const points = pcaMap(
			ts.map(
				(t) =>
					new Map([
						['a', t],
						['b', 2 * t]
					])
			)
		);
		expect(points.map(([x]) => Math.abs(x))).toEqual([1, 0.5, 0, 0.5, 1]);
		for (const [, y] of points) expect(Math.abs(y)).toBeLessThan(1e-3);
	});

	it('finds the two leading axes even when their variances differ by a tenth of a percent', () => {
		// Twelve orthogonal directions of spread (cosine waves over the papers), the k-th with
		// variance 1 + k/1000: the map's x must follow wave 11 and its y wave 10, which stopping
		// power iteration after a fixed number of steps does not reach.
		const papers = 240;
		const wave = (k: number) =>
			Array.from({ length: papers }, (_, i) => Math.cos((2 * Math.PI * (k + 1) * i) / papers));
		const vectors: Vector[] = Array.from({ length: papers }, (_, i) => {
			const vector: Vector = new Map();
			for (let k = 0; k < 12; k++) vector.set(`t${k}`, 1 + Math.sqrt(1 + k / 1000) * wave(k)[i]);
			return vector;
		});
		const points = pcaMap(vectors);
		const cosine = (a: number[], b: number[]) =>
			Math.abs(a.reduce((s, v, i) => s + v * b[i], 0)) / (Math.hypot(...a) * Math.hypot(...b));
		expect(
			cosine(
				points.map(([x]) => x),
				wave(11)
			)
		).toBeGreaterThan(0.999);
		expect(
			cosine(
				points.map(([, y]) => y),
				wave(10)
			)
		).toBeGreaterThan(0.999);
	});
});
