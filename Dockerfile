# gwsync container image: a build stage that compiles gwsync exactly as CI
# does, and a small runtime stage with only the binary, the shared libraries
# it links and the CA certificates, running as a non-root user.
#
#   docker build --build-arg GWSYNC_GIT_COMMIT=$(git rev-parse --short=12 HEAD) \
#       -t gwsync:0.1.0 .
#   docker run --rm -v "$PWD/examples/repo:/repo:ro" gwsync:0.1.0 validate --repo /repo
#
# The runtime packages are checked against the binary's libraries by
# tests/jobs/test_dockerfile.py; docs/operations.md describes the image.

FROM debian:bookworm AS build
WORKDIR /src
# The build dependencies come from the same script developers and CI use.
COPY scripts/install-deps scripts/install-deps
RUN scripts/install-deps --build && rm -rf /var/lib/apt/lists/*
COPY . .
ARG GWSYNC_GIT_COMMIT=unknown
# The configure step of scripts/test (CI); only the gwsync target is built.
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DGWSYNC_GIT_COMMIT="${GWSYNC_GIT_COMMIT}" \
    && cmake --build build -j"$(nproc)" --target gwsync \
    && strip --strip-debug -o /gwsync build/src/gwsync \
    && /gwsync version

FROM debian:bookworm-slim AS runtime
# Exactly the packages of the libraries gwsync links (libc comes with the
# base image) and the CA bundle libcurl and libgit2 verify TLS with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libgit2-1.5 \
        libyaml-0-2 \
        libjansson4 \
        libcurl4 \
        libssl3 \
        libxml2 \
        ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /gwsync /usr/local/bin/gwsync
# A numeric user (no entry in /etc/passwd needed), so Kubernetes can verify
# runAsNonRoot; jobs/kubernetes runs the pod as the same uid and gid.
USER 65532:65532
ENV HOME=/tmp XDG_CACHE_HOME=/tmp/.cache
WORKDIR /tmp
ENTRYPOINT ["/usr/local/bin/gwsync"]
CMD ["--help"]
