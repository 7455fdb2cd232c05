# syntax=docker/dockerfile:1
# Mail Queue worker: `mailq worker`, draining every queue and delivering over
# SMTP. Run as many replicas as the load needs (Kubernetes: KEDA on the email
# queue's depth, see infra/k8s/keda).
# Build from the repository root (the context .dockerignore keeps local state out):
#   docker build -f infra/docker/worker.Dockerfile -t mail-queue-worker .

ARG NODE_IMAGE=node:20-bookworm-slim

# Every workspace manifest with the lockfile: `npm ci` checks the lockfile
# against all of them, and the next stage's cache then depends on these files
# alone, not on every source change.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \; \
 && cp package-lock.json .npmrc /manifests/

# Production dependencies of @mailq/cli and of the workspaces it links, nothing
# else. tsx is among them (a dependency of @mailq/cli): the project ships
# TypeScript without a build step and bin/mailq.js loads it through tsx.
# --ignore-scripts: nothing needs an install script at run time (msgpackr
# falls back to JavaScript, esbuild's binary comes as an optional package).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --omit=dev --workspace @mailq/cli --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="mail-queue-worker" \
      org.opencontainers.image.description="Mail Queue worker (mailq worker)"
ENV NODE_ENV=production \
    WORKER_HEALTH_PORT=3002
WORKDIR /app
COPY --from=deps /app/ ./
# The sources of @mailq/cli and of every workspace it depends on (the infra
# tests check this list against the package manifests).
COPY apps/cli/ apps/cli/
COPY apps/ingest/ apps/ingest/
COPY apps/relay/ apps/relay/
COPY apps/worker/ apps/worker/
COPY packages/contracts/ packages/contracts/
COPY packages/feedback/ packages/feedback/
COPY packages/mail/ packages/mail/
COPY packages/queues/ packages/queues/
COPY packages/signing/ packages/signing/
COPY packages/store/ packages/store/
COPY packages/telemetry/ packages/telemetry/
COPY packages/telemetry-node/ packages/telemetry-node/
COPY packages/templates/ packages/templates/
COPY packages/webhooks/ packages/webhooks/
# The image's `node` user, by number so Kubernetes' runAsNonRoot can verify it.
# Files stay root-owned and read-only to it; tsx caches compiled files in /tmp.
USER 1000:1000
EXPOSE 3002
# /healthz on WORKER_HEALTH_PORT: the process answers. /readyz adds Redis
# reachability and progress (503 "wedged" when email waits but nothing has
# finished for WORKER_STALL_AFTER_MS); Kubernetes probes both itself.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.WORKER_HEALTH_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));"]
ENTRYPOINT ["node", "apps/cli/bin/mailq.js"]
CMD ["worker"]
