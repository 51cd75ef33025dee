//! The `candor` command.

use std::process::ExitCode;

fn main() -> ExitCode {
    candor::cli::main()
}

/// Rendering makes many small strings on every thread; mimalloc serves them
/// with less locking and copying than the system allocator (a tenth less CPU
/// for a 10,000-incident build, measured in BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
