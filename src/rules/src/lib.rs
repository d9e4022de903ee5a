//! Retrace's pure rules: given the same inputs they always give the same
//! answer, touch no database, no file and no clock. The application
//! re-exports each module where its domain lives (`devices::lifecycle`,
//! `media::lifecycle`, `erasure::rules`, `reports::opendata`,
//! `ledger::chain`, `tags`), so the rest of the code reads them there.
//!
//! They live in a crate of their own so that their unit tests build and run
//! in seconds, which is what mutation testing needs (docs/TESTING.md).

pub mod chain;
pub mod devices;
pub mod erasure;
pub mod media;
pub mod suppression;
pub mod tags;
pub mod words;
