# The `lockstep` tool in a container, for campaigns on a batch engine (deploy/k8s, docs/fuzz.md):
#   docker build -t lockstep .                              # the tool and the scenario library
#   docker build -t lockstep-qemu --build-arg WITH_QEMU=1 . # plus QEMU 7.2 (diff-backends, serve tests)
#   docker run --rm lockstep fuzz scenarios/clean-run.yaml --runs 1000
# Debian 12 both to build and to run: it is what Lockstep is developed on, and its QEMU is the
# 7.2 the differential tests are written against.
ARG SWIFT_IMAGE=swift:6.3-bookworm

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpcap-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The Swift runtime and Foundation linked in: the run image needs no toolchain.
RUN swift build -c release --product lockstep --static-swift-stdlib \
    && install -D "$(swift build -c release --show-bin-path)/lockstep" /out/lockstep

FROM debian:bookworm-slim
ARG WITH_QEMU=0
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpcap0.8 libstdc++6 \
    && if [ "$WITH_QEMU" = 1 ]; then apt-get install -y --no-install-recommends qemu-system-x86; fi \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/lockstep /usr/local/bin/lockstep
COPY scenarios /opt/lockstep/scenarios
# Relative scenario paths (scenarios/NAME.yaml) resolve here, as in a checkout.
WORKDIR /opt/lockstep
ENTRYPOINT ["lockstep"]
