/**
 * Starts `sleep 300 & sleep 300` through the runner, prints the step's pid, then dies of an uncaught exception
 * while the step is still running. The runner's exit hook must take the step's process group down with it.
 */
import { NodeProcessRunner } from '../../../../src/node/process-runner';

const runner = new NodeProcessRunner();
void runner.run(
  { script: 'sleep 300 & echo ready; sleep 300', cwd: process.cwd() },
  {
    onSpawn: (pid) => process.stdout.write(`step ${pid}\n`),
    onLine: (line) => {
      if (line.text === 'ready') {
        setImmediate(() => {
          throw new Error('simulated crash of the host');
        });
      }
    },
  },
);
