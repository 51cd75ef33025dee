//! candor: a static-site generator for honest crisis-communication status pages.
//!
//! # The pipeline
//!
//! Data flows one way, and each stage is a module (or a folder of them):
//!
//! ```text
//!  site.yaml, incidents/**/*.yaml, themes/
//!        │
//!   load ──► input ──► validate ──► model          read, parse with positions, check, type
//!        │
//!   views                                          what the model means at now
//!        │
//!   render (+ paths, theme, markdown, locale)      files in memory, or streamed
//!        │
//!   output                                         staged and swapped in whole, or synced live
//! ```
//!
//! - [`load`] finds and reads the files (through [`files`], which never
//!   follows a link) into the raw types of [`input`], which keep every value's
//!   line and column; [`validate`] checks them and builds the [`model`], typed
//!   and known to be consistent, reporting every problem as a located
//!   [`diagnostic::Diagnostic`]. [`time`] reads the times people write.
//! - [`views`] derives what the model means at one moment: phases, ends,
//!   promise verdicts, component statuses, the overall indicator, the history
//!   and the track record. Nothing later computes any of that again.
//! - [`render`] turns model and views into files with the [`theme`]'s
//!   templates and strings ([`locale`]), Markdown made safe by [`markdown`],
//!   and every path and link from [`paths`]. It never touches the disk.
//! - [`output`] puts a build in place atomically, or keeps a live folder in
//!   step file by file.
//!
//! # Who drives it
//!
//! - [`build`] runs the pipeline once: `candor build` and `candor check`
//!   ([`lint`] adds the communication lints on top of validation).
//! - [`live`] keeps a site built while someone edits, reusing what did not
//!   change; [`watch`] feeds it file events, and [`serve`] also serves the
//!   result over HTTP with live reload.
//! - [`notify`] sends what is new since the last run to webhooks, chats,
//!   email and Mastodon, from the same model and views, recording each
//!   delivery in a ledger so every event goes out once.
//! - [`author`] writes incident files for `candor new` and `candor update`,
//!   with [`yaml`] so every value reads back as given; [`init`] writes a new
//!   site; [`schema`] generates the JSON Schemas of the input from [`input`].
//! - [`import`] brings a history from Statuspage or cState into a site: its
//!   sources read the other tool into one neutral form, and its writer makes
//!   `site.yaml` and incident files with [`yaml`], checked by [`validate`]
//!   before anything is written.
//! - [`cli`] parses the command line and prints results through [`report`],
//!   which prints diagnostics for people, as JSON, or as GitHub annotations;
//!   [`release`] says which version and commit this is, and where it is
//!   published, for `--version` and the workflow [`init`] writes.
//!
//! The leaves ([`diagnostic`], [`files`], [`report`], [`yaml`], [`time`],
//! [`locale`], [`release`]) depend on no stage; no two modules depend on each other.

// Diagnostics travel in `Err` only when the input is wrong, a cold path where
// their size does not matter; boxing them everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod author;
pub mod build;
pub mod cli;
pub mod diagnostic;
pub mod files;
pub mod history;
pub mod import;
pub mod init;
pub mod input;
pub mod lint;
pub mod live;
pub mod load;
pub mod locale;
pub mod markdown;
pub mod model;
pub mod notify;
pub mod output;
pub mod paths;
pub mod release;
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
