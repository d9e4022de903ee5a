//! RFC 8785 (JCS) text, written into one buffer.
//!
//! The chain first used `serde_jcs`, which gathers every object's keys and
//! values in buffers and a map of their own and boxes a writer for each
//! fragment: on the ledger writer's thread, an event's seal (its text and
//! hash) took about a sixth of a transition. This writes the same bytes straight into one
//! `String` (`the_text_is_serde_jcs_text`, a property test, holds it to
//! `serde_jcs` byte for byte), so every hash already in a ledger stays valid.

use std::cmp::Ordering;

use serde_json::{Number, Value};

use super::ChainError;

/// Appends the canonical text of `value` to `out`.
pub(super) fn write(value: &Value, out: &mut String) -> Result<(), ChainError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => write_number(number, out)?,
        Value::String(text) => write_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            // §3.2.3: members in the order of their keys' UTF-16 code units.
            // The map keeps them in UTF-8 order, which differs only for
            // keys beyond the Basic Multilingual Plane.
            if map
                .keys()
                .is_sorted_by(|a, b| utf16_order(a, b) != Ordering::Greater)
            {
                write_members(map.iter(), out)?;
            } else {
                let mut members: Vec<_> = map.iter().collect();
                members.sort_by(|a, b| utf16_order(a.0, b.0));
                write_members(members.into_iter(), out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_members<'v>(
    members: impl Iterator<Item = (&'v String, &'v Value)>,
    out: &mut String,
) -> Result<(), ChainError> {
    for (index, (key, value)) in members.enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_string(key, out);
        out.push(':');
        write(value, out)?;
    }
    Ok(())
}

fn utf16_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// §3.2.2.3: a number as ECMAScript prints a double. An integer is made a
/// double first, as `serde_jcs` made it (exact up to 2^53).
fn write_number(number: &Number, out: &mut String) -> Result<(), ChainError> {
    let double = match (number.as_u64(), number.as_i64()) {
        (Some(unsigned), _) => unsigned as f64,
        (None, Some(signed)) => signed as f64,
        (None, None) => number.as_f64().unwrap_or(f64::NAN),
    };
    write_double(double, out)
}

/// A double as ECMAScript prints it; infinities and NaN have no JSON text.
pub(super) fn write_double(double: f64, out: &mut String) -> Result<(), ChainError> {
    if !double.is_finite() {
        return Err(ChainError::Canonical(format!(
            "{double} is not a JSON number"
        )));
    }
    out.push_str(ryu_js::Buffer::new().format_finite(double));
    Ok(())
}

/// §3.2.2.2: a string quoted, with `"`, `\` and the control characters
/// escaped (the short forms where JSON has one, else `\u00xx` in lower
/// case) and everything else as it is.
pub(super) fn write_string(text: &str, out: &mut String) {
    out.push('"');
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[plain..at]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escape);
        }
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
    out.push('"');
}
