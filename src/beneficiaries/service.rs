//! Beneficiary commands, run inside the ledger writer. Personal data is
//! written beside the ledger, in the same transaction as the event that says
//! it was recorded, and deleted the same way.

use entities::{allocation, allocation_signature, beneficiary, beneficiary_personal_data, site};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DbBackend, EntityTrait, QueryFilter, QuerySelect, Statement,
};
use validator::Validate;

use super::events::{self, SUBJECT};
use super::queries::{load, shown};
use super::{Beneficiary, NewBeneficiary, PersonalData, normalize_postcode};
use crate::auth::{Permission, Principal};
use crate::error::AppError;
use crate::ids::{BeneficiaryId, SiteId};
use crate::ledger::Subject;
use crate::patch::clean;
use crate::state::Tx;

/// Crockford's base32: no I, L, O or U to misread on a form.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new pseudonymous reference, e.g. `BRE-B-4K7Q2M9X`: the site's code and
/// 40 random bits, which say nothing about the person.
pub fn new_reference(site_code: &str) -> String {
    let random = uuid::Uuid::new_v4();
    let bits = random
        .as_bytes()
        .iter()
        .take(5)
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let code: String = (0..8)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect();
    format!("{site_code}-B-{code}")
}

pub async fn register(
    tx: &mut Tx,
    principal: &Principal,
    new: NewBeneficiary,
) -> Result<Beneficiary, AppError> {
    principal.require(Permission::ManageBeneficiaries)?;
    new.validate()?;
    let site = principal.target_site(new.site_id)?;
    let code = site::Entity::find_by_id(site.0)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::field("site_id", "no such site"))?
        .code;
    let id = BeneficiaryId::generate();
    let registered = events::Registered {
        site_id: site,
        reference: new_reference(&code),
        category: new.category,
        postcode: normalize_postcode(new.postcode)
            .map_err(|message| AppError::field("postcode", message))?,
        referring_partner: clean(new.referring_partner),
    };
    tx.record(Some(site), Subject::new(SUBJECT, id), registered)
        .await?;
    let personal = PersonalData {
        name: clean(new.name),
        email: clean(new.email),
        phone: clean(new.phone),
    };
    if !personal.is_empty() {
        beneficiary_personal_data::ActiveModel {
            beneficiary_id: Set(id.0),
            name: Set(personal.name),
            email: Set(personal.email),
            phone: Set(personal.phone),
            recorded_at: Set(chrono::Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        tx.record(
            Some(site),
            Subject::new(SUBJECT, id),
            events::PersonalDataRecorded { version: 2 },
        )
        .await?;
    }
    let loaded = load(tx.conn(), id).await?;
    Ok(shown(principal, loaded.0, loaded.1))
}

/// Erases a beneficiary's name, contact and drawn signatures. Erasing what
/// is already gone changes nothing and records nothing.
pub async fn erase_personal_data(
    tx: &mut Tx,
    principal: &Principal,
    id: BeneficiaryId,
) -> Result<Beneficiary, AppError> {
    principal.require(Permission::ReadPersonalData)?;
    let row = beneficiary::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    let allocations: Vec<uuid::Uuid> = allocation::Entity::find()
        .select_only()
        .column(allocation::Column::Id)
        .filter(allocation::Column::BeneficiaryId.eq(id.0))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let signatures = allocation_signature::Entity::delete_many()
        .filter(allocation_signature::Column::AllocationId.is_in(allocations))
        .exec(tx.conn())
        .await?
        .rows_affected;
    let personal = beneficiary_personal_data::Entity::delete_by_id(id.0)
        .exec(tx.conn())
        .await?
        .rows_affected;
    if personal + signatures > 0 || row.has_personal_data {
        tx.record(
            Some(SiteId(row.site_id)),
            Subject::new(SUBJECT, id),
            events::PersonalDataErased {
                version: row.version + 1,
            },
        )
        .await?;
    }
    let loaded = load(tx.conn(), id).await?;
    Ok(shown(principal, loaded.0, loaded.1))
}

/// After an erasure is committed, removes what the storage engine still
/// keeps of the deleted rows: SQLite (with `secure_delete` on) has zeroed
/// them in its pages, but older copies of those pages sit in the WAL until a
/// checkpoint truncates it; PostgreSQL keeps dead tuples until the table is
/// rewritten.
pub async fn scrub(db: &DatabaseConnection) -> Result<(), AppError> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            // A reader holding an old snapshot makes the checkpoint stop short
            // (busy = 1); readers are brief, so a few tries get past them.
            for _ in 0..50 {
                let row = db
                    .query_one_raw(Statement::from_string(
                        DbBackend::Sqlite,
                        "PRAGMA wal_checkpoint(TRUNCATE)",
                    ))
                    .await?;
                let busy: i32 = row.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or(0);
                if busy == 0 {
                    return Ok(());
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Err(AppError::internal("the WAL could not be checkpointed"))
        }
        DbBackend::Postgres => {
            db.execute_unprepared("VACUUM FULL beneficiary_personal_data, allocation_signatures")
                .await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_carry_the_site_and_forty_random_bits() {
        let a = new_reference("BRE");
        let b = new_reference("BRE");
        assert!(a.starts_with("BRE-B-"));
        assert_eq!(a.len(), "BRE-B-".len() + 8);
        assert!(a[6..].bytes().all(|c| ALPHABET.contains(&c)));
        assert_ne!(a, b);
    }
}
