//! Erasure: proof that the data on every drive is gone (SPEC §3).
//!
//! - [`nwipe`]: reading the logs of nwipe and ShredOS.

pub mod nwipe;
