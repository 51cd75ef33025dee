//! A deterministic synthetic site, for benchmarks: `candor generate`.

use std::path::PathBuf;

/// Options of `candor generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Where to write the site (created; must not exist or be empty).
    #[arg(long)]
    pub out: PathBuf,
    /// Number of incidents.
    #[arg(long, default_value_t = 1000)]
    pub incidents: usize,
    /// Updates per incident.
    #[arg(long, default_value_t = 6)]
    pub updates: usize,
    /// Number of components.
    #[arg(long, default_value_t = 20)]
    pub components: usize,
    /// Seed of the pseudo-random choices.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Writes the synthetic site.
pub fn run(_args: &GenerateArgs) -> Result<(), String> {
    Err("not implemented yet".into())
}
