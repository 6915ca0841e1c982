import { describe, expect, it } from 'vitest';
import {
	FindState,
	type FindHost,
	type MarkablePage,
	type TextSource
} from '../../src/lib/components/reader/find.svelte.ts';
import type { PageMatch, TextItemLike } from '../../src/lib/components/reader/match.ts';
import type { MatchSpec } from '../../src/lib/text/match-ranges.ts';

/** Six pages: "saliency" once on page 2 (capitalised), three times on page 3, once on page 5. */
const PAGES: string[][] = [
	['A fixture paper for the reading room.'],
	['Saliency maps are shown on this page.'],
	[
		'The saliency of each region is computed.',
		'A second saliency map follows,',
		'and a third saliency score.'
	],
	['Clinicians asked for better expla-', 'nations of every prediction.'],
	['Counterfactual saliency is discussed here.'],
	['Nothing to see on the last page.']
];

/** Text-layer items of a page as pdf.js gives them: one per line, `hasEOL` at its end. */
function itemsOf(pageNumber: number): TextItemLike[] {
	return PAGES[pageNumber - 1].map((str) => ({ str, hasEOL: true }));
}

/** A document whose pages give their text, counting the pages read. */
function sourceOf(): TextSource & { reads: number[] } {
	const reads: number[] = [];
	return {
		reads,
		async getPage(pageNumber: number) {
			reads.push(pageNumber);
			return { getTextContent: async () => ({ items: itemsOf(pageNumber) }), cleanup: () => {} };
		}
	};
}

/** A reader around the find state: it records the pages it is sent to. */
class FakeReader implements FindHost {
	current = 1;
	revealed: number[] = [];
	visited: number[] = [];
	pageCount = () => PAGES.length;
	currentPage = () => this.current;
	isNear = () => false;
	revealPage = (pageNumber: number) => {
		this.revealed.push(pageNumber);
		this.current = pageNumber;
	};
	goToPage = (pageNumber: number) => {
		this.visited.push(pageNumber);
		this.current = pageNumber;
	};
	isCancellation = () => false;
}

/** Find state for `query` over the whole fixture, every page read. */
async function scanned(query: string): Promise<{ find: FindState; reader: FakeReader }> {
	const reader = new FakeReader();
	const find = new FindState(reader, query);
	find.attach(sourceOf(), PAGES.length);
	await find.scan();
	return { find, reader };
}

/** The page of the selected match. */
const selectedPage = (find: FindState) => find.pageOfMatch(find.selected);

describe('FindState', () => {
	it('opens the find bar with the query of a search hit', () => {
		expect(new FindState(new FakeReader(), 'saliency').open).toBe(true);
		expect(new FindState(new FakeReader(), '  ').open).toBe(false);
	});

	describe('counting matches', () => {
		it('counts the matches of the pages read so far, with a "+" until every page is read', () => {
			const find = new FindState(new FakeReader(), 'saliency');
			find.attach(sourceOf(), PAGES.length);
			expect(find.status).toBe('Searching…');
			find.notePageText(3, itemsOf(3));
			expect(find.status).toBe('3+ matches');
			find.notePageText(2, itemsOf(2));
			expect(find.totalMatches).toBe(4);
			expect(find.hitPages).toEqual([
				{ page: 2, count: 1 },
				{ page: 3, count: 3 }
			]);
			expect(find.maxHits).toBe(3);
		});

		it('reads every page not read yet in the background, so the count covers the document', async () => {
			const reader = new FakeReader();
			const find = new FindState(reader, 'saliency');
			const source = sourceOf();
			find.attach(source, PAGES.length);
			find.notePageText(3, itemsOf(3));
			await find.scan();
			expect(source.reads.toSorted()).toEqual([1, 2, 4, 5, 6]);
			expect(find.scanComplete).toBe(true);
			expect(find.preparedCount).toBe(6);
			expect(find.status).toBe('5 matches');
			expect(find.hitPages.map((hit) => hit.page)).toEqual([2, 3, 5]);
		});

		it("counts matches in the indexed text of pages not drawn, then takes a drawn page's own text", async () => {
			const find = new FindState(new FakeReader(), 'saliency');
			// The build's text of a page: one run of words, its line-end hyphens already joined.
			const indexed: TextSource = {
				getPage: async (pageNumber: number) => ({
					getTextContent: async () => ({
						items: [{ str: PAGES[pageNumber - 1].join(' '), hasEOL: false }],
						indexed: true
					}),
					cleanup: () => {}
				})
			};
			find.attach(indexed, PAGES.length);
			await find.scan();
			expect(find.status).toBe('5 matches');
			expect(find.matches[2]!.flatMap((match) => match.ranges.map((range) => range.item))).toEqual([
				0, 0, 0
			]);
			// Page 3 drawn: its matches now point into its text-layer items, one per line.
			find.notePageText(3, itemsOf(3));
			expect(find.matches[2]!.map((match) => match.ranges[0].item)).toEqual([0, 1, 2]);
			expect(find.preparedCount).toBe(6);
			expect(find.totalMatches).toBe(5);
			// An indexed text never replaces a page's own.
			find.notePageText(3, [{ str: 'nothing here', hasEOL: false }], true, true);
			expect(find.matches[2]).toHaveLength(3);
		});

		it('says so when nothing matches, and says nothing without a query', async () => {
			expect((await scanned('dragons')).find.status).toBe('No matches');
			expect((await scanned('')).find.status).toBe('');
		});

		it('finds a word broken by a line-end hyphen as one word', async () => {
			const { find } = await scanned('explanations');
			expect(find.hitPages).toEqual([{ page: 4, count: 1 }]);
		});

		it('drops the selection and searches again when the text or an option changes', async () => {
			const { find } = await scanned('saliency');
			find.step(1);
			find.text = 'Saliency';
			find.caseSensitive = true;
			find.search();
			expect(find.selected).toBe(-1);
			expect(find.hitPages).toEqual([{ page: 2, count: 1 }]);
			find.text = 'salienc';
			find.caseSensitive = false;
			find.wholeWord = false;
			find.search();
			expect(find.totalMatches).toBe(5);
		});
	});

	describe('next and previous', () => {
		it('starts from the page being read, not from the top of the document', async () => {
			const { find, reader } = await scanned('saliency');
			reader.current = 4;
			find.step(1);
			expect(selectedPage(find)).toBe(5);
			expect(reader.revealed).toEqual([5]);
			expect(find.status).toBe('match 1 of 1 on this page, 5 in the paper');
		});

		it('goes from the last match to the first, and back', async () => {
			const { find, reader } = await scanned('saliency');
			reader.current = 3;
			const pages: number[] = [];
			for (let i = 0; i < 6; i++) {
				find.step(1);
				pages.push(selectedPage(find));
			}
			expect(pages).toEqual([3, 3, 3, 5, 2, 3]);
			find.step(-1);
			find.step(-1);
			expect(find.selected).toBe(4);
			expect(reader.current).toBe(5);
		});

		it('goes back from the page being read to the match before it', async () => {
			const { find } = await scanned('saliency');
			find.step(-1);
			expect(find.selected).toBe(4);
			expect(selectedPage(find)).toBe(5);
		});

		it('does nothing when nothing matches', async () => {
			const { find, reader } = await scanned('dragons');
			find.step(1);
			expect(find.selected).toBe(-1);
			expect(reader.revealed).toEqual([]);
		});

		it('keeps the selected match while the scan finds matches on the pages before it', async () => {
			const reader = new FakeReader();
			const find = new FindState(reader, 'saliency');
			find.attach(sourceOf(), PAGES.length);
			find.notePageText(3, itemsOf(3));
			reader.current = 3;
			find.step(1);
			find.step(1);
			expect(find.status).toBe('match 2 of 3 on this page, 3+ in the paper');
			await find.scan();
			expect(selectedPage(find)).toBe(3);
			expect(find.status).toBe('match 2 of 3 on this page, 5 in the paper');
			find.step(1);
			expect(find.selected).toBe(3);
		});

		it('goes to the first match of a page picked in the hit strip', async () => {
			const { find, reader } = await scanned('saliency');
			find.goToHitPage(5);
			expect(find.selected).toBe(4);
			expect(reader.visited).toEqual([5]);
		});
	});

	describe('marks', () => {
		/** A page's text layer that remembers what it was asked to mark. */
		class FakePage implements MarkablePage {
			marked: { count: number; selected: number }[] = [];
			scrolled = 0;
			constructor(readonly pageNumber: number) {}
			highlight(matches: readonly PageMatch[], selected: number) {
				this.marked.push({ count: matches.length, selected });
				return selected >= 0 ? { scrollIntoView: () => void this.scrolled++ } : null;
			}
		}

		it('emphasises the selected match on its own page only, and scrolls to it once', async () => {
			const { find } = await scanned('saliency');
			find.goToHitPage(3);
			find.step(1);
			const [page2, page3] = [new FakePage(2), new FakePage(3)];
			for (const view of [page2, page3, page3]) find.highlight(view);
			expect(page2.marked).toEqual([{ count: 1, selected: -1 }]);
			expect(page3.marked[0]).toEqual({ count: 3, selected: 1 });
			expect(page3.scrolled).toBe(1);
		});
	});

	describe("the engine's matches for a typed text", () => {
		/** An engine stand-in whose answers arrive when the test says, in any order. */
		function engineOf() {
			const pending: { text: string; answer: (spec: MatchSpec | null) => void }[] = [];
			const fetch = (text: string) =>
				new Promise<MatchSpec | null>((answer) => pending.push({ text, answer }));
			return { pending, fetch };
		}

		async function withEngine(query: string) {
			const engine = engineOf();
			const reader = new FakeReader();
			const find = new FindState(reader, query, { fetch: engine.fetch });
			find.attach(sourceOf(), PAGES.length);
			await find.scan();
			return { engine, reader, find };
		}

		it('marks what the engine matched for a typo once it answers', async () => {
			const { engine, find } = await withEngine('saliancy');
			expect(find.status).toBe('No matches');
			const asking = find.askEngine();
			engine.pending[0].answer({ terms: ['saliency'], phrases: [] });
			await asking;
			expect(find.totalMatches).toBe(5);
		});

		it('says only the words as typed are marked when the engine cannot be reached, until it can', async () => {
			const engine = engineOf();
			let reachable = false;
			const fetch = (text: string) =>
				reachable ? engine.fetch(text) : Promise.reject(new TypeError('Failed to fetch'));
			const find = new FindState(new FakeReader(), 'saliency', { fetch });
			find.attach(sourceOf(), PAGES.length);
			await find.scan();
			expect(find.literalOnly).toBe(false);
			await find.askEngine();
			expect(find.literalOnly).toBe(true);
			expect(find.totalMatches).toBe(5);
			reachable = true;
			const asking = find.askEngine();
			engine.pending[0].answer({ terms: ['saliency'], phrases: [] });
			await asking;
			expect(find.literalOnly).toBe(false);
		});

		it('drops an answer for a text that is no longer in the box', async () => {
			const { engine, find } = await withEngine('saliancy');
			const asking = find.askEngine();
			find.text = 'dragons';
			find.search();
			engine.pending[0].answer({ terms: ['saliency'], phrases: [] });
			await asking;
			expect(find.totalMatches).toBe(0);
			expect(find.status).toBe('No matches');
		});

		it('drops the answer to an earlier question when a later one was asked', async () => {
			const { engine, find } = await withEngine('saliancy');
			const first = find.askEngine();
			const second = find.askEngine();
			engine.pending[1].answer({ terms: ['saliency'], phrases: [] });
			await second;
			// The first answer, arriving last, says something else: it is stale.
			engine.pending[0].answer({ terms: ['page'], phrases: [] });
			await first;
			expect(find.totalMatches).toBe(5);
		});

		it('keeps the selected match, and the view, when the answer for the same text arrives', async () => {
			const { engine, find, reader } = await withEngine('map');
			reader.current = 3;
			find.step(1);
			expect(find.status).toBe('match 1 of 1 on this page, 2 in the paper');
			const page = new (class implements MarkablePage {
				readonly pageNumber = 3;
				marked: number[] = [];
				scrolled = 0;
				highlight(_matches: readonly PageMatch[], selected: number) {
					this.marked.push(selected);
					return selected >= 0 ? { scrollIntoView: () => void this.scrolled++ } : null;
				}
			})();
			find.highlight(page);
			const asking = find.askEngine();
			// The engine also matched the synonym's words: more marks, some before the selected one.
			engine.pending[0].answer({ terms: ['map', 'saliency'], phrases: [] });
			await asking;
			expect(find.status).toBe('match 3 of 4 on this page, 7 in the paper');
			find.highlight(page);
			expect(page.marked).toEqual([0, 2]);
			// Scrolled once, for the step; the answer moved nothing.
			expect(page.scrolled).toBe(1);
			expect(reader.revealed).toEqual([3]);
		});
	});
});
