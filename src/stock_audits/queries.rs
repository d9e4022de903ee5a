//! Reading stock audits: a site's users see their site's, network-wide users
//! every site's.

use entities::{stock_audit, stock_audit_scan};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::StockAudit;
use crate::error::AppError;
use crate::ids::StockAuditId;
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal};

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    page: &PageParams,
) -> Result<Page<StockAudit>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = stock_audit::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(stock_audit::Column::SiteId.eq(own));
    }
    let page = pagination::fetch(db, select, stock_audit::Column::Id, page, |a| a.id).await?;
    Ok(Page {
        items: with_scan_counts(db, page.items).await?,
        next_cursor: page.next_cursor,
    })
}

/// The latest audits `principal` may see, newest first (the audits page).
pub async fn latest(
    db: &impl ConnectionTrait,
    principal: &Principal,
    count: u64,
) -> Result<Vec<StockAudit>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = stock_audit::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(stock_audit::Column::SiteId.eq(own));
    }
    let rows = select
        .order_by_desc(stock_audit::Column::Id)
        .limit(count)
        .all(db)
        .await?;
    with_scan_counts(db, rows).await
}

/// An audit the principal may see.
pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: StockAuditId,
) -> Result<StockAudit, AppError> {
    principal.require(Permission::ReadInventory)?;
    let audit = load(db, id).await?;
    principal.check_site(audit.site_id)?;
    Ok(audit)
}

/// An audit, read inside a write (no access check: the caller made it).
pub async fn load(conn: &impl ConnectionTrait, id: StockAuditId) -> Result<StockAudit, AppError> {
    let row = stock_audit::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    with_scan_counts(conn, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// A page of audits with their scan counts, counted in one query.
pub async fn with_scan_counts(
    conn: &impl ConnectionTrait,
    rows: Vec<stock_audit::Model>,
) -> Result<Vec<StockAudit>, AppError> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::{Expr, Func};
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
    let counts: std::collections::HashMap<uuid::Uuid, i64> = stock_audit_scan::Entity::find()
        .select_only()
        .column(stock_audit_scan::Column::AuditId)
        .expr(Func::count(Expr::col(stock_audit_scan::Column::Id)))
        .filter(stock_audit_scan::Column::AuditId.is_in(ids))
        .group_by(stock_audit_scan::Column::AuditId)
        .into_tuple()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    rows.into_iter()
        .map(|row| {
            let scans = counts.get(&row.id).copied().unwrap_or(0);
            StockAudit::from_row(row, u64::try_from(scans).unwrap_or(0))
        })
        .collect()
}
