// Mocha's spec reporter, plus one JSON line of totals appended to $CCF_TEST_TOTALS (read by .ci/run).
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class TotalsReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.CCF_TEST_TOTALS;
      if (!file) return;
      const { passes, failures, pending } = this.stats;
      const suite = process.env.CCF_TEST_SUITE || 'mocha';
      fs.appendFileSync(file, `${JSON.stringify({ suite, passed: passes, failed: failures, pending })}\n`);
    });
  }
}

module.exports = TotalsReporter;
