//! The words enums are stored and sent as: their serde names, derived once
//! by `#[serde(rename_all = "snake_case")]` and read both ways through them
//! (the functions live with the pure rules, whose enums use them too).

pub use retrace_rules::words::{from_word, word};
