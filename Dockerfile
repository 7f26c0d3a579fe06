# Gemgate headless server: Docker and Hugging Face Spaces (Docker SDK, app_port 7860).
# Multi-stage: the build stage has the dev tools (esbuild, vite); the image ships only the bundled
# server, the built web admin and production dependencies — no Electron, no sources, no tests.

# ---- build -------------------------------------------------------------------------------------
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs headless \
 && npm run build:renderer

# ---- runtime -----------------------------------------------------------------------------------
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=7860 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
# /data is Spaces' persistent storage when enabled; without it the folder still exists and is
# writable by the unprivileged user (uid 1000, as Spaces runs containers).
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||7860)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/headless.mjs"]
