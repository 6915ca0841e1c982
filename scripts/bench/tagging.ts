/**
 * `npm run bench:tagging`: precision and recall of the inferred workshop topics (facet `topic`)
 * against hand labels — tests/fixtures/tagging/shared-labels.json for ../shared/corpus (when
 * present) and the generated labelled papers — with each paper's misses, and a check that the
 * papers labelled with no topic (the JOSS software papers, the generated tools) get no
 * inferred tag at all. Exits 1 below the target (precision and recall ≥ 0.75) or on a failed check.
 *
 *   npx tsx scripts/bench/tagging.ts
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { extractPdf } from '../ingest/extract.ts';
import { readCorpus } from '../../src/lib/corpus/index.ts';
import { tagPaper } from '../../src/lib/corpus/tag.ts';
import type { PaperSource, Taxonomy } from '../../src/lib/types.ts';
import {
	hasSharedCorpus,
	SHARED_CORPUS,
	sharedPapers
} from '../../tests/fixtures/shared-corpus.ts';
import { generatedLabelledPapers } from '../../tests/fixtures/tagging/generated.ts';

const TARGET = 0.75;
const LABELS = resolve(import.meta.dirname, '../../tests/fixtures/tagging/shared-labels.json');

interface Judged {
	id: string;
	labels: string[];
	/** Inferred tags of any facet, for the no-topic check. */
	inferred: { id: string; facet: string }[];
}

const taxonomy: Taxonomy = (await readCorpus(resolve(import.meta.dirname, '../../papers')))
	.taxonomy!;
const workshopTopics = new Set(
	taxonomy.topics.filter((topic) => topic.facet === 'topic').map((topic) => topic.id)
);

function judge(paper: PaperSource, pages: string[], labels: string[]): Judged {
	const inferred = tagPaper(paper, pages, taxonomy)
		.filter((topic) => topic.source === 'inferred')
		.map(({ id, facet }) => ({ id, facet }));
	return { id: paper.id, labels, inferred };
}

async function sharedJudged(): Promise<Judged[]> {
	const labels = JSON.parse(readFileSync(LABELS, 'utf8')) as {
		papers: Record<string, { topics: string[] }>;
	};
	const judged: Judged[] = [];
	for (const shared of sharedPapers()) {
		const label = labels.papers[shared.id];
		if (!label) throw new Error(`bench:tagging: no hand label for ${shared.id}`);
		const text = await extractPdf(join(SHARED_CORPUS, shared.file), {
			maxBytes: 50 * 1024 * 1024,
			maxPages: 100
		});
		if (!text.ok) throw new Error(`bench:tagging: ${shared.file}: ${text.reason}`);
		const paper: PaperSource = {
			id: shared.id,
			edition: 'shared',
			title: shared.title,
			authors: shared.authors.map((name) => ({ name })),
			file: shared.file
		};
		judged.push(judge(paper, text.pages, label.topics));
	}
	return judged;
}

function report(name: string, judged: Judged[]): boolean {
	let truePositives = 0;
	let predicted = 0;
	let relevant = 0;
	let ok = true;
	console.log(`\n${name}: ${judged.length} papers`);
	for (const { id, labels, inferred } of judged) {
		const topics = inferred.filter((topic) => workshopTopics.has(topic.id)).map((t) => t.id);
		const hits = topics.filter((topic) => labels.includes(topic));
		truePositives += hits.length;
		predicted += topics.length;
		relevant += labels.length;
		const wrong = topics.filter((topic) => !labels.includes(topic));
		const missed = labels.filter((topic) => !topics.includes(topic));
		if (labels.length === 0 && inferred.length > 0) {
			ok = false;
			console.log(
				`  FAIL ${id}: labelled off-topic but tagged ${inferred.map((t) => t.id).join(', ')}`
			);
		} else if (wrong.length || missed.length) {
			console.log(`  ${id}: wrong [${wrong.join(', ')}] missed [${missed.join(', ')}]`);
		}
	}
	const precision = predicted ? truePositives / predicted : 1;
	const recall = relevant ? truePositives / relevant : 1;
	const offTopic = judged.filter((item) => item.labels.length === 0);
	console.log(
		`  precision ${precision.toFixed(3)} (${truePositives}/${predicted})  recall ${recall.toFixed(3)} (${truePositives}/${relevant})  off-topic papers with no inferred tag: ${offTopic.filter((item) => item.inferred.length === 0).length}/${offTopic.length}`
	);
	return ok && precision >= TARGET && recall >= TARGET;
}

let passed = true;
if (hasSharedCorpus)
	passed = report('../shared/corpus (hand labels)', await sharedJudged()) && passed;
else console.log('../shared/corpus absent: shared-corpus labels skipped');
const generated = generatedLabelledPapers().map(({ paper, pages, topics }) =>
	judge(paper, pages, topics)
);
passed = report('generated labelled papers', generated) && passed;
console.log(`\ntarget: precision and recall ≥ ${TARGET} → ${passed ? 'met' : 'NOT met'}`);
process.exitCode = passed ? 0 : 1;
