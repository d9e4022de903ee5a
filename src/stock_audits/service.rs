//! Stock audit jobs, run inside the ledger writer.

use entities::{device, medium, stock_audit, stock_audit_scan};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::events::{self, SUBJECT};
use super::queries::load;
use super::refusals::AuditRefused;
use super::{
    Item, NewAudit, NewScan, Scanned, StockAudit, medium_on_the_shelf, on_the_shelf, report,
};
use crate::devices::DeviceState;
use crate::error::AppError;
use crate::error::check_version;
use crate::ids::{SiteId, StockAuditId};
use crate::ledger::Subject;
use crate::ledger::writer::Idempotency;
use crate::media::MediumState;
use crate::principal::{Permission, Principal};
use crate::scan::{ItemType, resolve};
use crate::state::{AppState, Tx};
use crate::write::Written;

/// An audit the principal may work on.
async fn visible(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    id: StockAuditId,
) -> Result<stock_audit::Model, AppError> {
    let row = stock_audit::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    Ok(row)
}

fn refuse_closed(row: &stock_audit::Model) -> Result<(), AppError> {
    if row.state == "open" {
        Ok(())
    } else {
        Err(AuditRefused::Closed.into())
    }
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn start(
    tx: &mut Tx,
    principal: &Principal,
    new: NewAudit,
) -> Result<StockAudit, AppError> {
    principal.require(Permission::WorkshopActions)?;
    let site = principal.target_site(new.site_id)?;
    if !crate::sites::queries::exists(tx.conn(), site).await? {
        return Err(AppError::field("site_id", "no such site"));
    }
    let open = stock_audit::Entity::find()
        .filter(stock_audit::Column::SiteId.eq(site.0))
        .filter(stock_audit::Column::State.eq("open"))
        .one(tx.conn())
        .await?;
    if let Some(open) = open {
        return Err(AuditRefused::Open { id: open.id }.into());
    }
    let id = StockAuditId::generate();
    tx.record(
        Some(site),
        Subject::new(SUBJECT, id),
        events::Started { site_id: site },
    )
    .await?;
    load(tx.conn(), id).await
}

/// What a scan during an audit found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScanAnswer {
    pub code: String,
    /// `device` or `medium`; `null` when the code matched nothing.
    pub item_type: Option<String>,
    pub asset_tag: Option<String>,
    pub state: Option<String>,
    /// Whether the item should be on this site's shelves.
    pub expected: bool,
}

/// What a scanned code is, resolved from the read pool before the write.
#[derive(Debug, Clone)]
struct Resolved {
    code: String,
    item_type: Option<&'static str>,
    item_id: Option<uuid::Uuid>,
    asset_tag: Option<String>,
    state: Option<String>,
    expected: bool,
}

/// Resolves what a scanner read against the audit's site, without writing.
async fn resolve_scan(
    db: &impl ConnectionTrait,
    principal: &Principal,
    audit: &StockAudit,
    code: &str,
) -> Result<Resolved, AppError> {
    let item = match resolve(db, principal, code).await {
        Ok(found) => Some(found),
        Err(err) if err.status() == axum::http::StatusCode::NOT_FOUND => None,
        Err(err) => return Err(err),
    };
    let (item_type, item_id, site, state) = match &item {
        Some(found) if found.item_type == ItemType::Medium => {
            let m = found
                .medium
                .as_ref()
                .ok_or_else(|| AppError::internal("medium missing"))?;
            (
                Some("medium"),
                Some(m.id.0),
                Some(m.site_id),
                Some(found.state.clone()),
            )
        }
        Some(found) => {
            let d = found
                .device
                .as_ref()
                .ok_or_else(|| AppError::internal("device missing"))?;
            (
                Some("device"),
                Some(d.id.0),
                Some(d.site_id),
                Some(found.state.clone()),
            )
        }
        None => (None, None, None, None),
    };
    let expected = match (item_type, &state) {
        (Some("device"), Some(s)) => {
            site == Some(audit.site_id) && DeviceState::parse(s).is_some_and(on_the_shelf)
        }
        (Some("medium"), Some(s)) => {
            site == Some(audit.site_id)
                && item.as_ref().is_some_and(|f| f.device.is_none())
                && MediumState::parse(s).is_some_and(medium_on_the_shelf)
        }
        _ => false,
    };
    Ok(Resolved {
        code: code.to_owned(),
        item_type,
        item_id,
        asset_tag: item.as_ref().map(|f| f.asset_tag.clone()),
        state,
        expected,
    })
}

/// Records a scan: the code is resolved from the read pool first; the write
/// job only checks that the audit is still open and appends.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, stock_audit = %id))]
pub async fn scan(
    state: &AppState,
    principal: &Principal,
    id: StockAuditId,
    new: NewScan,
    idempotency: Option<Idempotency>,
) -> Result<Written<ScanAnswer>, AppError> {
    principal.require(Permission::WorkshopActions)?;
    let code = new.code.trim().to_owned();
    if code.is_empty() || code.len() > 512 {
        return Err(AppError::field("code", "must be 1 to 512 characters"));
    }
    let audit = super::queries::get(&state.db, principal, id).await?;
    let resolved = resolve_scan(&state.db, principal, &audit, &code).await?;
    state
        .write(principal, idempotency, move |tx, scanner| {
            Box::pin(async move {
                let audit = visible(tx.conn(), scanner, id).await?;
                refuse_closed(&audit)?;
                tx.record(
                    Some(SiteId(audit.site_id)),
                    Subject::new(SUBJECT, id),
                    events::Scanned {
                        code: resolved.code.clone(),
                        item_type: resolved.item_type.map(str::to_owned),
                        item_id: resolved.item_id,
                        asset_tag: resolved.asset_tag.clone(),
                    },
                )
                .await?;
                Ok(ScanAnswer {
                    code: resolved.code,
                    item_type: resolved.item_type.map(str::to_owned),
                    asset_tag: resolved.asset_tag,
                    state: resolved.state,
                    expected: resolved.expected,
                })
            })
        })
        .await
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, stock_audit = %id))]
pub async fn close(
    tx: &mut Tx,
    principal: &Principal,
    id: StockAuditId,
    expected_version: i64,
) -> Result<StockAudit, AppError> {
    principal.require(Permission::WorkshopActions)?;
    let audit = visible(tx.conn(), principal, id).await?;
    refuse_closed(&audit)?;
    check_version(audit.version, expected_version)?;
    let site = SiteId(audit.site_id);
    let shelf_states: Vec<&str> = DeviceState::ALL
        .into_iter()
        .filter(|s| on_the_shelf(*s))
        .map(DeviceState::as_str)
        .collect();
    let mut expected: Vec<Item> = device::Entity::find()
        .filter(device::Column::SiteId.eq(site.0))
        .filter(device::Column::State.is_in(shelf_states))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|d| Item {
            id: d.id,
            item_type: "device".into(),
            asset_tag: d.asset_tag,
            state: d.state,
            site_id: d.site_id,
        })
        .collect();
    expected.extend(
        medium::Entity::find()
            .filter(medium::Column::SiteId.eq(site.0))
            .filter(medium::Column::DeviceId.is_null())
            .filter(medium::Column::State.ne(MediumState::Destroyed.as_str()))
            .all(tx.conn())
            .await?
            .into_iter()
            .map(|m| Item {
                id: m.id,
                item_type: "medium".into(),
                asset_tag: m.asset_tag,
                state: m.state,
                site_id: m.site_id,
            }),
    );
    let scans = scanned_items(tx.conn(), id).await?;
    let report = report(site, &expected, &scans);
    tx.record(
        Some(site),
        Subject::new(SUBJECT, id),
        events::Closed {
            version: audit.version + 1,
            report: report.into(),
        },
    )
    .await?;
    load(tx.conn(), id).await
}

/// Each scan with the item it matched, as that item is now.
async fn scanned_items(
    conn: &impl ConnectionTrait,
    id: StockAuditId,
) -> Result<Vec<Scanned>, AppError> {
    let scans = stock_audit_scan::Entity::find()
        .filter(stock_audit_scan::Column::AuditId.eq(id.0))
        .all(conn)
        .await?;
    let device_ids: Vec<uuid::Uuid> = scans
        .iter()
        .filter(|s| s.item_type.as_deref() == Some("device"))
        .filter_map(|s| s.item_id)
        .collect();
    let medium_ids: Vec<uuid::Uuid> = scans
        .iter()
        .filter(|s| s.item_type.as_deref() == Some("medium"))
        .filter_map(|s| s.item_id)
        .collect();
    let mut items = std::collections::HashMap::new();
    for chunk in device_ids.chunks(500) {
        for d in device::Entity::find()
            .filter(device::Column::Id.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            items.insert(
                d.id,
                Item {
                    id: d.id,
                    item_type: "device".into(),
                    asset_tag: d.asset_tag,
                    state: d.state,
                    site_id: d.site_id,
                },
            );
        }
    }
    for chunk in medium_ids.chunks(500) {
        for m in medium::Entity::find()
            .filter(medium::Column::Id.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            items.insert(
                m.id,
                Item {
                    id: m.id,
                    item_type: "medium".into(),
                    asset_tag: m.asset_tag,
                    state: m.state,
                    site_id: m.site_id,
                },
            );
        }
    }
    Ok(scans
        .into_iter()
        .map(|s| Scanned {
            item: s.item_id.and_then(|id| items.get(&id).cloned()),
            code: s.code,
        })
        .collect())
}
