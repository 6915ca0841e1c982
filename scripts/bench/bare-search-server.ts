/**
 * The baseline of `bench:load`: a bare `node:http` server with one MiniSearch over the same
 * pages as a Glassbox build (title and body per page), no snippets, no facets, no framework.
 * It answers the three routes the bench loads with the least work that still searches:
 *
 *   /api/search?q=   the top 20 papers as JSON (id, title, score, pages)
 *   /search?q=       the same as a bare HTML list
 *   /papers/<id>     the paper's title in a bare HTML page
 *
 *   npx tsx scripts/bench/bare-search-server.ts <build-dir> <port>
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { readIndexData } from '../../src/lib/server/search-storage.ts';
import type { Catalog } from '../../src/lib/types.ts';

const [buildDir, port] = process.argv.slice(2);
const catalog = JSON.parse(readFileSync(join(buildDir, 'catalog.json'), 'utf8')) as Catalog;
const titles = new Map(catalog.papers.map((paper) => [paper.id, paper.title]));
const data = await readIndexData(join(buildDir, 'search'));
const decoder = new TextDecoder();

interface BarePage {
	id: number;
	paper: string;
	page: number;
	title: string;
	body: string;
}
const index = new MiniSearch<BarePage>({
	fields: ['title', 'body'],
	storeFields: ['paper', 'page'],
	searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2 }
});
const pages: BarePage[] = [];
for (let doc = 0; doc < data.docPage.length; doc++) {
	const paper = data.paperIds[data.docPaper[doc]];
	const text = data.pageText.subarray(data.textOffsets[doc], data.textOffsets[doc + 1]);
	pages.push({
		id: doc,
		paper,
		page: data.docPage[doc],
		title: titles.get(paper) ?? '',
		body: decoder.decode(text)
	});
}
index.addAll(pages);

function search(q: string) {
	const papers = new Map<string, { id: string; title: string; score: number; pages: number[] }>();
	for (const result of index.search(q)) {
		const paper = result.paper as string;
		let entry = papers.get(paper);
		if (!entry)
			papers.set(
				paper,
				(entry = { id: paper, title: titles.get(paper) ?? '', score: 0, pages: [] })
			);
		entry.score += result.score;
		if (result.page) entry.pages.push(result.page as number);
	}
	const hits = [...papers.values()].sort((a, b) => b.score - a.score);
	return { query: q, total: hits.length, hits: hits.slice(0, 20) };
}

const escape = (text: string) =>
	text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

createServer((request, response) => {
	const url = new URL(request.url ?? '/', 'http://localhost');
	const q = url.searchParams.get('q') ?? '';
	if (url.pathname === '/api/search') {
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(JSON.stringify(search(q)));
	} else if (url.pathname === '/search') {
		const items = search(q).hits.map(
			(hit) => `<li><a href="/papers/${hit.id}">${escape(hit.title)}</a></li>`
		);
		response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		response.end(`<!doctype html><title>${escape(q)}</title><ol>${items.join('')}</ol>`);
	} else if (url.pathname.startsWith('/papers/') && titles.has(url.pathname.slice(8))) {
		response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		response.end(`<!doctype html><h1>${escape(titles.get(url.pathname.slice(8))!)}</h1>`);
	} else {
		response.writeHead(url.pathname === '/healthz' ? 200 : 404).end();
	}
}).listen(Number(port), '127.0.0.1');
