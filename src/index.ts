import * as core from '@actions/core'
import { errorMessage } from './errors.js'
import { run } from './main.js'

// A rejection that escapes run() must still fail the step, never leave it green.
process.on('unhandledRejection', (reason) => core.setFailed(errorMessage(reason)))
void run()
