import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractPdf } from '../../scripts/ingest/extract.ts';
import { readCorpus } from '../../src/lib/corpus/index.ts';
import { tagPaper } from '../../src/lib/corpus/tag.ts';
import type { PaperSource, PaperTopic, Taxonomy } from '../../src/lib/types.ts';

const taxonomy: Taxonomy = {
	threshold: 0.4,
	synonyms: [],
	topics: [
		{
			id: 'grad-cam',
			label: 'Grad-CAM',
			facet: 'method',
			description: 'Gradient-weighted class activation maps.',
			terms: [{ term: 'grad-cam', weight: 3 }]
		},
		{
			id: 'cam',
			label: 'Class activation maps',
			facet: 'method',
			description: 'Class activation maps.',
			terms: [
				{ term: 'class activation map', weight: 3 },
				{ term: 'cam', weight: 2 }
			]
		},
		{
			id: 'uncertainty',
			label: 'Uncertainty',
			facet: 'topic',
			description: 'How sure the model is.',
			terms: [
				{ term: 'uncertainty', weight: 2 },
				{ term: 'monte carlo dropout', weight: 3 }
			]
		},
		{
			id: 'multimodal',
			label: 'Multimodal data',
			facet: 'topic',
			description: 'Several sources of data.',
			terms: [{ term: 'multimodal', weight: 2 }]
		}
	]
};

function paper(fields: Partial<PaperSource> = {}): PaperSource {
	return {
		id: 'p',
		edition: 'e',
		title: 'A study',
		authors: [{ name: 'A' }],
		file: 'e/p.yaml',
		...fields
	};
}

/** A page of neutral prose with `words` words, about medical images and models but no topic. */
function filler(words: number): string {
	const sentence =
		'the network was trained on chest images from two hospitals and tested on held out scans';
	const pool = sentence.split(' ');
	return Array.from({ length: words }, (_, i) => pool[i % pool.length]).join(' ');
}

/** Interpretability vocabulary so that the paper reads as being about explanations. */
const ABOUT_XAI = 'we explain the predictions and evaluate the explanations for interpretability';

function byId(topics: PaperTopic[]): Map<string, PaperTopic> {
	return new Map(topics.map((topic) => [topic.id, topic]));
}

describe('tagPaper', () => {
	it('counts Grad-CAM, GradCAM, grad cam and Grad-CAMs as the term grad-cam, with their pages', () => {
		const pages = [
			`${ABOUT_XAI}. We apply Grad-CAM to each scan. ${filler(200)}`,
			`${filler(200)} GradCAM highlights the lesion, and grad cam maps agree.`,
			filler(200),
			`Two Grad-CAMs are compared. ${filler(200)}`
		];
		const topics = byId(tagPaper(paper(), pages, taxonomy));
		const gradCam = topics.get('grad-cam');
		expect(gradCam).toMatchObject({ source: 'inferred', facet: 'method', label: 'Grad-CAM' });
		expect(gradCam?.evidence).toEqual([{ term: 'grad-cam', count: 4, pages: [1, 2, 4] }]);
		// "CAM" inside "Grad-CAM" is not also evidence for plain class activation maps.
		expect(topics.has('cam')).toBe(false);
	});

	it('matches a one-word term against a hyphenated spelling, as one mention', () => {
		const oneWord: Taxonomy = {
			...taxonomy,
			topics: [
				{ ...taxonomy.topics[0], terms: [{ term: 'gradcam', weight: 3 }] },
				taxonomy.topics[1]
			]
		};
		const pages = [`${ABOUT_XAI}. Grad-CAM, Grad-CAM and GradCAM. ${filler(200)}`];
		const topics = byId(tagPaper(paper(), pages, oneWord));
		expect(topics.get('grad-cam')?.evidence).toEqual([{ term: 'gradcam', count: 3, pages: [1] }]);
		expect(topics.has('cam')).toBe(false);
	});

	it('counts title, keywords and abstract in the evidence but never lists them as a page', () => {
		const topics = byId(
			tagPaper(
				paper({
					title: 'Uncertainty of lesion detectors',
					keywords: ['uncertainty'],
					abstract: 'We estimate uncertainty with Monte Carlo dropout.'
				}),
				[`${ABOUT_XAI}. ${filler(300)} Monte-Carlo dropout again.`],
				taxonomy
			)
		);
		expect(topics.get('uncertainty')?.evidence).toEqual([
			{ term: 'monte carlo dropout', count: 2, pages: [1] },
			{ term: 'uncertainty', count: 3, pages: [] }
		]);
	});

	it('weights a title mention above the same mention in the body', () => {
		const inTitle = tagPaper(
			paper({ title: 'Uncertainty maps' }),
			[`${ABOUT_XAI} ${filler(1000)}`],
			{
				...taxonomy,
				threshold: 0.01
			}
		);
		const inBody = tagPaper(paper(), [`${ABOUT_XAI} Uncertainty maps. ${filler(1000)}`], {
			...taxonomy,
			threshold: 0.01
		});
		const score = (topics: PaperTopic[]) => topics.find((t) => t.id === 'uncertainty')!.score;
		expect(score(inTitle)).toBeGreaterThan(score(inBody));
	});

	describe('curated topics', () => {
		it('always come first with source curated and score 1, even without any evidence', () => {
			const topics = tagPaper(paper({ topics: ['multimodal'] }), [filler(500)], taxonomy);
			expect(topics).toEqual([
				{
					id: 'multimodal',
					label: 'Multimodal data',
					facet: 'topic',
					source: 'curated',
					score: 1,
					evidence: []
				}
			]);
		});

		it('win over an inferred tag for the same topic, keeping its evidence', () => {
			const pages = [`${ABOUT_XAI}. Grad-CAM everywhere: Grad-CAM, Grad-CAM. ${filler(300)}`];
			const topics = tagPaper(paper({ topics: ['uncertainty', 'grad-cam'] }), pages, taxonomy);
			expect(topics.map((t) => [t.id, t.source, t.score])).toEqual([
				['uncertainty', 'curated', 1],
				['grad-cam', 'curated', 1]
			]);
			expect(topics[1].evidence).toEqual([{ term: 'grad-cam', count: 3, pages: [1] }]);
		});
	});

	describe('threshold', () => {
		it('leaves out a topic mentioned in passing, and keeps it when the paper is about it', () => {
			const passing = [`${ABOUT_XAI}. ${filler(1500)} We did not use uncertainty. ${filler(1500)}`];
			expect(byId(tagPaper(paper(), passing, taxonomy)).has('uncertainty')).toBe(false);
			const focused = [
				`${ABOUT_XAI}. Uncertainty ${filler(300)} uncertainty ${filler(300)} uncertainty estimates.`
			];
			const tagged = byId(tagPaper(paper(), focused, taxonomy)).get('uncertainty');
			expect(tagged?.score).toBeGreaterThanOrEqual(taxonomy.threshold);
			expect(tagged?.score).toBeLessThan(1);
		});

		it('uses the taxonomy threshold rather than a fixed number of tags', () => {
			const pages = [`${ABOUT_XAI}. Uncertainty ${filler(300)} uncertainty ${filler(300)}`];
			const score = byId(tagPaper(paper(), pages, taxonomy)).get('uncertainty')!.score;
			expect(tagPaper(paper(), pages, { ...taxonomy, threshold: score + 0.01 })).toEqual([]);
			expect(tagPaper(paper(), pages, { ...taxonomy, threshold: score })).toHaveLength(1);
		});

		it('scores the same density alike in a short and a long paper', () => {
			const page = `${ABOUT_XAI}. Uncertainty ${filler(400)}`;
			const score = (pageCount: number) =>
				tagPaper(paper(), Array(pageCount).fill(page), { ...taxonomy, threshold: 0.01 })[0].score;
			expect(score(12)).toBeCloseTo(score(3), 2);
		});

		it('tags a paper all about one workshop topic that never writes the core words', () => {
			const causalTaxonomy: Taxonomy = {
				...taxonomy,
				topics: [
					...taxonomy.topics,
					{
						id: 'causal',
						label: 'Causality',
						facet: 'topic',
						description: 'Causal models.',
						terms: [
							{ term: 'structural causal model', weight: 3 },
							{ term: 'do-calculus', weight: 3 },
							{ term: 'confounder', weight: 2 },
							{ term: 'counterfactual', weight: 3 }
						]
					}
				]
			};
			const page = `A structural causal model of the scanner; do-calculus removes each confounder and a counterfactual image shows the effect. ${filler(300)}`;
			const topics = tagPaper(paper(), [page, page], causalTaxonomy);
			expect(topics.map((topic) => topic.id)).toEqual(['causal']);
		});

		it('does not count a term inside one of its other senses, and shows only what it counted', () => {
			const prototypeTaxonomy: Taxonomy = {
				...taxonomy,
				topics: [
					{
						id: 'prototypes',
						label: 'Prototypes',
						facet: 'method',
						description: 'Learned prototypes.',
						terms: [{ term: 'prototype', weight: 3, not: ['design prototype'] }]
					}
				]
			};
			const design = `${ABOUT_XAI}. An initial network design prototype, then a design prototype. ${filler(300)}`;
			expect(tagPaper(paper(), [design], prototypeTaxonomy)).toEqual([]);
			const learned = `${ABOUT_XAI}. Each prototype is a learned image part; a design prototype came first. ${filler(300)}`;
			const [prototypes] = tagPaper(paper(), [learned], prototypeTaxonomy);
			expect(prototypes.evidence).toEqual([{ term: 'prototype', count: 1, pages: [1] }]);
		});

		it('lets a short text carry only a few inferred tags per facet, the strongest', () => {
			const many: Taxonomy = {
				threshold: 0.3,
				synonyms: [],
				topics: ['alpha', 'beta', 'gamma', 'delta', 'epsilon'].map((id) => ({
					id,
					label: id,
					facet: 'topic',
					description: id,
					terms: [{ term: id, weight: 3 }]
				}))
			};
			const mentions = (times: number[]) =>
				['alpha', 'beta', 'gamma', 'delta', 'epsilon']
					.map((id, i) => Array(times[i]).fill(id).join(' '))
					.join(' ');
			const short = [`${ABOUT_XAI}. ${mentions([6, 5, 4, 3, 3])} ${filler(400)}`];
			expect(tagPaper(paper(), short, many).map((topic) => topic.id)).toEqual(['alpha', 'beta']);
			const long = Array(30).fill(`${ABOUT_XAI}. ${mentions([6, 5, 4, 3, 3])} ${filler(400)}`);
			expect(tagPaper(paper(), long, many)).toHaveLength(5);
		});

		it('infers nothing for a text that is not about interpretability at all', () => {
			const tool = [
				`A multimodal dataset loader. It reads multimodal scans and multimodal headers. ${filler(800)}`
			];
			expect(tagPaper(paper({ title: 'A dataset tool' }), tool, taxonomy)).toEqual([]);
			const explained = [`${ABOUT_XAI}. Explanations of ${tool[0]}`];
			expect(
				tagPaper(paper({ title: 'A dataset tool' }), explained, taxonomy).map((t) => t.id)
			).toEqual(['multimodal']);
		});
	});
});

const SHARED = resolve(import.meta.dirname, '../../../shared/corpus/pdf');

describe.skipIf(!existsSync(SHARED))('tagPaper on real papers (../shared/corpus)', () => {
	let shipped: Taxonomy;
	beforeAll(async () => {
		shipped = (await readCorpus(resolve(import.meta.dirname, '../../papers'))).taxonomy!;
	});

	async function tagsOf(file: string, title: string): Promise<PaperTopic[]> {
		const text = await extractPdf(join(SHARED, file), {
			maxBytes: 50 * 1024 * 1024,
			maxPages: 100
		});
		if (!text.ok) throw new Error(`${file}: ${text.reason}`);
		return tagPaper(paper({ title }), text.pages, shipped);
	}

	it('gives the MRdataset tool paper (a dataset interface) no inferred topic', async () => {
		const topics = await tagsOf(
			'sinha-mrdataset-joss.pdf',
			'MRdataset: A unified and user-friendly interface to medical imaging datasets'
		);
		expect(topics).toEqual([]);
	});

	it('silences each term of the shipped taxonomy inside every one of its "not" phrases', () => {
		const phrases = shipped.topics.flatMap((topic) =>
			topic.terms.flatMap(({ term, not }) => (not ?? []).map((phrase) => ({ term, phrase })))
		);
		expect(phrases.length).toBeGreaterThan(0);
		for (const { term, phrase } of phrases) {
			const page = `${ABOUT_XAI}. ${Array(8).fill(`We report the ${phrase} here.`).join(' ')}`;
			const evidence = tagPaper(paper(), [page], { ...shipped, threshold: 0.01 }).flatMap((topic) =>
				topic.evidence.map((item) => item.term)
			);
			expect(evidence, `"${term}" inside "${phrase}"`).not.toContain(term);
		}
	});

	it('does not tag COVID-Net with Prototypes for its "initial network design prototype"', async () => {
		const topics = await tagsOf(
			'wang-2020-covid-net.pdf',
			'COVID-Net: A Tailored Deep Convolutional Neural Network Design for Detection of COVID-19 Cases from Chest X-Ray Images'
		);
		expect(topics.map((topic) => topic.id)).not.toContain('prototypes');
	});

	it('gives the two-page Bridging abstract a few tags, not Attention for "paid enough attention"', async () => {
		const topics = await tagsOf(
			'jin-bridging-xai-taxonomy-abstract.pdf',
			'Bridging AI Developers and End Users: an End-User-Centred Explainable AI Taxonomy and Visual Vocabularies'
		);
		expect(topics.map((topic) => topic.id)).not.toContain('attention');
		expect(topics.filter((topic) => topic.facet === 'topic').length).toBeLessThanOrEqual(2);
		expect(topics.length).toBeLessThanOrEqual(4);
		expect(topics.map((topic) => topic.id)).toContain('definition');
	});

	it('tags the Graziani regression concept vectors paper with concepts, with evidence by page', async () => {
		const topics = byId(
			await tagsOf(
				'graziani-2018-regression-concept-vectors.pdf',
				'Regression Concept Vectors for Bidirectional Explanations in Histopathology'
			)
		);
		const concepts = topics.get('concepts');
		expect(concepts?.source).toBe('inferred');
		expect(concepts!.score).toBeGreaterThan(0.9);
		const rcv = concepts!.evidence.find((item) => item.term === 'regression concept vector');
		expect(rcv!.count).toBeGreaterThan(1);
		expect(rcv!.pages.length).toBeGreaterThan(0);
		expect(Math.min(...rcv!.pages)).toBeGreaterThanOrEqual(1);
		expect(Math.max(...rcv!.pages)).toBeLessThanOrEqual(8);
	});
});
