/** Runs the bundled action as the runner does: scripts/lib/run-action.ts, which the demo and the bench use too. */
export {
  ACTION,
  FAKE_TOKEN,
  ROOT,
  VENV_PYTHON,
  parseFileCommands,
  runAction,
  type ActionRun,
  type RunOptions
} from '../../scripts/lib/run-action.js'
