//! candor: a static-site generator for honest crisis-communication status pages.
//!
//! The pipeline runs one way: [`load`] reads `site.yaml` and the incident
//! files ([`input`]) and [`validate`]s them into the [`model`]; [`views`]
//! derives what the model means at a moment; [`render`] turns model and views
//! into files with the [`theme`]; [`output`] puts them in place atomically.
//! [`build`] runs the whole pipeline.

// Diagnostics travel in `Err` only when the input is wrong, a cold path where
// their size does not matter; boxing them everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod author;
pub mod build;
pub mod cli;
pub mod diagnostic;
pub mod files;
pub mod init;
pub mod input;
pub mod lint;
pub mod live;
pub mod load;
pub mod locale;
pub mod markdown;
pub mod model;
pub mod output;
pub mod paths;
pub mod render;
pub mod report;
pub mod schema;
pub mod serve;
#[cfg(test)]
mod testing;
pub mod theme;
pub mod time;
pub mod validate;
pub mod views;
pub mod watch;
pub mod yaml;
