//! Scan lookups on embedded SQLite, through the synchronous reader
//! (`db::reader`). A scan is the workshop's most frequent request and costs
//! two reads; through sqlx each is a round trip to a worker thread, here a
//! few microseconds. Only the lookup by asset tag takes this path; the
//! answer is assembled by the same code as any other scan, and PostgreSQL
//! (or anything unusual: a typo, a serial) goes the ordinary way.

use entities::medium;
use rusqlite::OptionalExtension;

use super::{Found, Related};
use crate::db::reader::SqliteReader;
use crate::db::rows::{self, DEVICE_BY_ID, DEVICE_WIDTH, DEVICE_WITH_MEDIA_BY_TAG, MEDIUM_BY_TAG};
use crate::error::AppError;

/// The device or medium with this tag, with its media or the device it is in.
pub fn by_tag(reader: &SqliteReader, tag: &str) -> Result<Option<(Found, Related)>, AppError> {
    // A device and its media in one statement: a scan's usual question. The
    // media are put in tag order here: an `ORDER BY` would make SQLite build
    // a sorter for each scan, for a handful of rows.
    reader.with(|conn| {
        let mut statement = conn.prepare_cached(DEVICE_WITH_MEDIA_BY_TAG)?;
        let mut rows = statement.query([tag])?;
        let mut device = None;
        let mut media = Vec::new();
        while let Some(row) = rows.next()? {
            if device.is_none() {
                device = Some(rows::device(row, 0)?);
            }
            if row.get_ref(DEVICE_WIDTH)?.as_bytes_or_null()?.is_some() {
                media.push(rows::medium(row, DEVICE_WIDTH)?);
            }
        }
        if let Some(device) = device {
            media.sort_unstable_by(|a: &medium::Model, b| a.asset_tag.cmp(&b.asset_tag));
            return Ok(Some((Found::Device(device), Related::Media(media))));
        }
        let medium = conn
            .prepare_cached(MEDIUM_BY_TAG)?
            .query_row([tag], |row| rows::medium(row, 0))
            .optional()?;
        let Some(medium) = medium else {
            return Ok(None);
        };
        let holder = match medium.device_id {
            Some(id) => conn
                .prepare_cached(DEVICE_BY_ID)?
                .query_row([id.as_bytes().as_slice()], |row| rows::device(row, 0))
                .optional()?
                .map(Box::new),
            None => None,
        };
        Ok(Some((Found::Medium(medium), Related::Holder(holder))))
    })
}
