/** Validation against GitHub's OpenAPI description: scripts/lib/github-openapi.ts, which the fake checks API there uses too. */
export * from '../../scripts/lib/github-openapi.js'
