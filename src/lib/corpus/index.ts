/** Reading, validating and tagging the `papers/` corpus. */
export { readCorpus, formatIssue, type CorpusReadResult } from './read.ts';
export { tagPaper } from './tag.ts';
export { arxivProblem, doiProblem, orcidProblem } from './identifiers.ts';
