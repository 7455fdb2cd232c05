// `npm run bench` (full run, ~10 minutes) and `npm run bench:quick` (seconds).
// Options: --quick, --only=ingest-single,end-to-end
import { FULL, QUICK } from './config';
import { SCENARIOS, runSuite, type ScenarioId } from './suite';
import { renderTable } from './support/table';
import { writeResults } from './support/write-results';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((arg) => arg.startsWith('--only='));
const only = onlyArg?.slice('--only='.length).split(',') as ScenarioId[] | undefined;
const unknown = only?.filter((id) => !SCENARIOS.includes(id));
if (unknown?.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  process.exit(2);
}

console.log(
  `Mail Queue benchmarks — ${quick ? 'quick mode (small counts: proves the suite runs, not a measurement)' : 'full run'}`,
);
const suite = await runSuite({
  config: quick ? QUICK : FULL,
  ...(only ? { only } : {}),
  log: (line) => console.log(line),
});
console.log(
  `\nmeasured commit ${suite.machine.commit}${suite.machine.dirty ? ' (with uncommitted changes in apps/ or packages/)' : ''}`,
);
console.log('\n' + renderTable(suite));
const files = await writeResults(suite);
console.log(
  `\nwrote ${files.json}\n      ${files.svg}\n      ${files.table}\n(${suite.durationS.toFixed(0)} s)`,
);
const failed = suite.scenarios.filter((s) => s.error);
// Targets not met are results, not failures; a scenario that could not run is a failure.
process.exit(failed.length > 0 ? 1 : 0);
