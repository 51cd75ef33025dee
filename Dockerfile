# candor in a container, for CI systems and machines without Rust.
#
#   docker build -t candor --build-arg CANDOR_COMMIT="$(git rev-parse HEAD)" .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" candor build
#
# The first stage compiles candor; the image keeps only the binary on
# distroless's glibc base (no shell, no package manager; about 30 MB).
# CANDOR_COMMIT names the commit in `candor --version` (the build context
# leaves .git out); without it the version says "unknown commit".

FROM rust:1-slim-bookworm AS build
ARG CANDOR_COMMIT=
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src src
COPY themes themes
RUN cargo install --path . --locked --root /out

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/bin/candor /usr/local/bin/candor
WORKDIR /site
ENTRYPOINT ["/usr/local/bin/candor"]
CMD ["build"]
