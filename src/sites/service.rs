//! Site commands: the only place a site is created or changed, for the API
//! and the command line alike, and where asset tags are handed out.

use entities::site;
use validator::Validate;

use super::events::{self, SUBJECT};
use super::refusals::SiteCodeTaken;
use super::{NewSite, Site, SiteChanges, SiteCode};
use crate::donors::siret;
use crate::error::AppError;
use crate::ids::SiteId;
use crate::ledger::{Subject, projection};
use crate::patch::{clean, record_changes};
use crate::principal::{Permission, Principal};
use crate::state::Tx;
use crate::tags::AssetTag;

/// Creates a site: its code checked and free, its fields trimmed.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn create(tx: &mut Tx, principal: &Principal, new: NewSite) -> Result<Site, AppError> {
    principal.require(Permission::ManageSites)?;
    new.validate()?;
    let code = SiteCode::parse(&new.code).map_err(|message| AppError::field("code", message))?;
    if super::queries::by_code(tx.conn(), code.as_str())
        .await?
        .is_some()
    {
        return Err(SiteCodeTaken {
            code: code.as_str().to_owned(),
        }
        .into());
    }
    let id = SiteId::generate();
    let created = events::Created {
        name: new.name.trim().to_owned(),
        code: code.as_str().to_owned(),
        address: clean(new.address),
    };
    tx.record(Some(id), Subject::new(SUBJECT, id), created)
        .await?;
    Ok(projection::row::<site::Entity>(tx.conn(), id.0)
        .await?
        .into())
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, site = %id))]
pub async fn update(
    tx: &mut Tx,
    principal: &Principal,
    id: SiteId,
    expected: i64,
    changes: SiteChanges,
) -> Result<Site, AppError> {
    principal.require(Permission::ManageSites)?;
    changes.validate()?;
    let siret = changes.siret.try_map(|text| siret::field(&text))?;
    let changes = events::Changes {
        name: changes.name.map(|n| n.trim().to_owned()),
        address: changes.address.map_sent(clean),
        siret,
        postcode: changes.postcode.map_sent(clean),
        city: changes.city.map_sent(clean),
    };
    let row = record_changes(tx, Subject::new(SUBJECT, id), expected, changes, |_| {
        Ok(Some(id))
    })
    .await?;
    Ok(row.into())
}

/// The next asset tag of a site, as the writer sees it.
#[tracing::instrument(level = "debug", skip_all, fields(site = %site))]
pub async fn next_tag(tx: &Tx, site: SiteId) -> Result<AssetTag, AppError> {
    // Every registration comes here: read as the writer's hot reads are.
    let site = tx
        .conn()
        .find_by::<site::Entity>(site::Column::Id, site.0)
        .await?
        .pop()
        .ok_or_else(|| AppError::field("site_id", "no such site"))?;
    let sequence = u64::try_from(site.last_tag_sequence + 1).map_err(AppError::internal)?;
    AssetTag::first_from(&site.code, sequence)
        .ok_or_else(|| AppError::internal("no asset tag left"))
}
