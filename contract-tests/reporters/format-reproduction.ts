/**
 * A generated failure's minimal case, for people: what it breaks (a negative
 * case), how it was found and shrunk, the flags that replay it, and each of
 * its requests as a ready `curl` command (credentials as environment variables).
 */
import type { Reproduction } from '../report';

export function formatReproduction(reproduction: Reproduction): string[] {
  const { requests, failedCases, shrinkRuns } = reproduction;
  const what =
    reproduction.kind === 'sequence'
      ? `minimal sequence of ${requests.length} request${requests.length === 1 ? '' : 's'}`
      : 'minimal case';
  const found =
    `${failedCases} generated ` +
    `${reproduction.kind === 'sequence' ? 'sequence' : 'case'}${failedCases === 1 ? '' : 's'} ` +
    `failed`;
  const shrunk = shrinkRuns ? `, shrunk in ${shrinkRuns} tr${shrinkRuns === 1 ? 'y' : 'ies'}` : '';
  const lines = [`${what} (${found}${shrunk}; replay with ${reproduction.replay}):`];
  if (reproduction.breach) lines.push(`  breaks ${reproduction.breach}`);
  for (const request of requests)
    lines.push(`  ${request.curl}${request.status === undefined ? '' : `   # → ${request.status}`}`);
  return lines;
}
