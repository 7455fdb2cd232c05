// Bundles the ingest app for a runtime-neutral target (no Node built-ins), as
// Cloudflare Workers needs it. The build fails if anything reachable from
// createApp imports `node:*` or a Node-only package, which keeps the ingest
// deployable at the edge.
import { build } from 'esbuild';

const result = await build({
  entryPoints: ['src/app.ts'],
  outfile: 'dist/ingest-app.js',
  bundle: true,
  platform: 'neutral',
  format: 'esm',
  mainFields: ['module', 'main'],
  conditions: ['workerd', 'worker', 'browser', 'import'],
  metafile: true,
  logLevel: 'warning',
});
const nodeOnly = Object.keys(result.metafile.inputs).filter((input) =>
  /node_modules\/(ioredis|bullmq|nodemailer|pino|smtp-server)\//.test(input),
);
if (nodeOnly.length > 0) {
  console.error(`Node-only modules reached from the ingest app:\n  ${nodeOnly.join('\n  ')}`);
  process.exit(1);
}
console.log(`dist/ingest-app.js: ${Object.keys(result.metafile.inputs).length} modules, runtime-neutral`);
