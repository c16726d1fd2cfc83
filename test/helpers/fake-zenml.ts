/** The fake ZenML server: scripts/lib/fake-zenml.ts, which the bench uses too. */
export * from '../../scripts/lib/fake-zenml.js'
