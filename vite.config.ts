import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					environment: 'node',
					include: ['tests/unit/**/*.test.ts'],
					testTimeout: 60_000,
					// A safety net: a test that forgets to point arXiv's metadata at its local
					// imitation gets a refused connection, never the real service.
					env: { GLASSBOX_ARXIV_OAI_BASE: 'http://127.0.0.1:9/oai' }
				}
			},
			{
				extends: './vite.config.ts',
				test: {
					name: 'e2e',
					environment: 'node',
					include: ['tests/e2e/**/*.test.ts'],
					testTimeout: 120_000,
					hookTimeout: 300_000,
					// One production server and one Chromium are shared by the browser tests.
					fileParallelism: false,
					globalSetup: ['tests/e2e/global-setup.ts']
				}
			}
		]
	}
});
