# The Next.js app as a standalone server (next.config.js: output "standalone").
# Build: docker compose build app   (or: docker build -t customer-auth-app .)
# The build needs no secrets: configuration is read at runtime (lib/env.ts).

ARG NODE_IMAGE=node:22-alpine

FROM ${NODE_IMAGE} AS deps
# Some native binaries expect glibc symbols; Next's own Alpine example adds this.
RUN apk add --no-cache libc6-compat
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Exactly the lock file's versions (CI checks that the lock is complete for what the registry serves).
RUN npm ci --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# `public/` is optional in the repository; make sure it exists so the runner can copy it.
RUN npm run build && mkdir -p public

FROM ${NODE_IMAGE} AS runner
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000
# The code stays owned by root (read-only for the server); only Next's cache directory is writable.
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
RUN mkdir -p .next/cache && chown node:node .next/cache
USER node
EXPOSE 3000
CMD ["node", "server.js"]
