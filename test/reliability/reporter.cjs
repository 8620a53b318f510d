// The reliability suite's reporter: the spec output and the CI totals line (totals-reporter.cjs), then the
// figures the suites recorded (test/reliability/support.ts `figure`), and last `N passed, N failed`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');
const TotalsReporter = require('../support/totals-reporter.cjs');

class ReliabilityReporter extends TotalsReporter {
  constructor(runner, options) {
    super(runner, options);
    const file = process.env.CCF_RELIABILITY_FIGURES || path.resolve(__dirname, '../../.tmp/reliability-figures.jsonl');
    process.env.CCF_RELIABILITY_FIGURES = file;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.rmSync(file, { force: true });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const lines = fs.existsSync(file)
        ? fs
            .readFileSync(file, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [];
      if (lines.length > 0) {
        console.log('Reliability figures');
        let suite = '';
        for (const { suite: s, name, value } of lines) {
          if (s !== suite) {
            suite = s;
            console.log(`  ${suite}`);
          }
          console.log(`    ${name}: ${value}`);
        }
        console.log('');
      }
      const { passes, failures } = this.stats;
      console.log(`${passes} passed, ${failures} failed`);
    });
  }
}

module.exports = ReliabilityReporter;
