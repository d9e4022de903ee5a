//! Reading beneficiaries: the one place where who may read a name or a
//! contact is decided — the site's coordinators and the admins. The API,
//! the pages and the handover form all read through here.

use entities::{beneficiary, beneficiary_personal_data};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Select,
};

use super::{Beneficiary, Category, PersonalData};
use crate::error::AppError;
use crate::ids::{BeneficiaryId, SiteId};
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal};
use crate::search::contains_ci;
use serde::Serialize;
use utoipa::ToSchema;

/// Whether `principal` may read the personal data of a beneficiary of `site`.
pub fn may_read_personal_data(principal: &Principal, site: SiteId) -> bool {
    principal.role.allows(Permission::ReadPersonalData) && principal.can_see_site(site)
}

/// A beneficiary as `principal` may see it: the personal data dropped
/// unless they may read it.
pub fn shown(
    principal: &Principal,
    mut beneficiary: Beneficiary,
    personal: Option<PersonalData>,
) -> Beneficiary {
    beneficiary.personal_data =
        personal.filter(|_| may_read_personal_data(principal, beneficiary.site_id));
    // The referring partner often names the social worker: the workshop's, not a funder's.
    if !principal.role.allows(Permission::ReadNotes) {
        beneficiary.referring_partner = None;
    }
    beneficiary
}

fn from_row(row: beneficiary::Model) -> Result<Beneficiary, AppError> {
    Ok(Beneficiary {
        id: BeneficiaryId(row.id),
        site_id: SiteId(row.site_id),
        reference: row.reference,
        category: Category::parse(&row.category)
            .ok_or_else(|| AppError::internal("unreadable beneficiary category"))?,
        postcode: row.postcode,
        referring_partner: row.referring_partner,
        has_personal_data: row.has_personal_data,
        personal_data: None,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn personal_from_row(row: beneficiary_personal_data::Model) -> PersonalData {
    PersonalData {
        name: row.name,
        email: row.email,
        phone: row.phone,
    }
}

/// A beneficiary and its personal data, unchecked (inside a write, or
/// before [`shown`]).
pub async fn load(
    conn: &impl ConnectionTrait,
    id: BeneficiaryId,
) -> Result<(Beneficiary, Option<PersonalData>), AppError> {
    let row = beneficiary::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let personal = beneficiary_personal_data::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .map(personal_from_row);
    Ok((from_row(row)?, personal))
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: BeneficiaryId,
) -> Result<Beneficiary, AppError> {
    principal.require(Permission::ReadInventory)?;
    let (beneficiary, personal) = load(db, id).await?;
    principal.check_site(beneficiary.site_id)?;
    Ok(shown(principal, beneficiary, personal))
}

/// What a list of beneficiaries may be narrowed to.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    pub category: Option<Category>,
    /// Part of the reference or of the referring partner.
    pub q: Option<String>,
}

/// The beneficiaries `principal` sees, narrowed by `filter`. A coordinator's
/// search also finds a name or an e-mail they may read; anyone else's search
/// reaches only the pseudonymous fields.
fn select(principal: &Principal, filter: &Filter) -> Select<beneficiary::Entity> {
    let mut select = beneficiary::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(beneficiary::Column::SiteId.eq(own));
    }
    if let Some(category) = filter.category {
        select = select.filter(beneficiary::Column::Category.eq(category.as_str()));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        // A search reaches only what its reader may read.
        let mut any = Condition::any().add(contains_ci(beneficiary::Column::Reference, q));
        if principal.role.allows(Permission::ReadNotes) {
            any = any.add(contains_ci(beneficiary::Column::ReferringPartner, q));
        }
        if principal.role.allows(Permission::ReadPersonalData) {
            let named = beneficiary_personal_data::Entity::find()
                .select_only()
                .column(beneficiary_personal_data::Column::BeneficiaryId)
                .filter(
                    Condition::any()
                        .add(contains_ci(beneficiary_personal_data::Column::Name, q))
                        .add(contains_ci(beneficiary_personal_data::Column::Email, q)),
                )
                .into_query();
            any = any.add(beneficiary::Column::Id.in_subquery(named));
        }
        select = select.filter(any);
    }
    select
}

/// Rows with the personal data `principal` may read, in one more query.
async fn shaped(
    db: &impl ConnectionTrait,
    principal: &Principal,
    rows: Vec<beneficiary::Model>,
) -> Result<Vec<Beneficiary>, AppError> {
    let ids: Vec<uuid::Uuid> = rows.iter().map(|m| m.id).collect();
    let mut personal: std::collections::HashMap<uuid::Uuid, PersonalData> =
        if principal.role.allows(Permission::ReadPersonalData) {
            beneficiary_personal_data::Entity::find()
                .filter(beneficiary_personal_data::Column::BeneficiaryId.is_in(ids))
                .all(db)
                .await?
                .into_iter()
                .map(|row| (row.beneficiary_id, personal_from_row(row)))
                .collect()
        } else {
            Default::default()
        };
    rows.into_iter()
        .map(|row| {
            let data = personal.remove(&row.id);
            from_row(row).map(|b| shown(principal, b, data))
        })
        .collect()
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &Filter,
    page: &PageParams,
) -> Result<Page<Beneficiary>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let select = select(principal, filter);
    let page = pagination::fetch(db, select, beneficiary::Column::Id, page, |m| m.id).await?;
    Ok(Page {
        items: shaped(db, principal, page.items).await?,
        next_cursor: page.next_cursor,
    })
}

/// The latest beneficiaries matching `filter`, newest first (the pages).
pub async fn latest(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &Filter,
    count: u64,
) -> Result<Vec<Beneficiary>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let rows = select(principal, filter)
        .order_by_desc(beneficiary::Column::Id)
        .limit(count)
        .all(db)
        .await?;
    shaped(db, principal, rows).await
}

/// Everything Retrace holds about a beneficiary (GDPR art. 15): their
/// record and contact, every allocation, complaint and drawn signature, and
/// every ledger event about them or those — for the coordinators of their
/// site and the admins.
#[derive(Debug, Serialize, ToSchema)]
pub struct BeneficiaryAccess {
    pub beneficiary: Beneficiary,
    pub allocations: Vec<crate::allocations::Allocation>,
    pub complaints: Vec<crate::allocations::Complaint>,
    pub signatures: Vec<DrawnSignature>,
    /// Oldest first.
    pub events: Vec<crate::ledger::Event>,
    pub generated_at: chrono::DateTime<chrono::Utc>,
}

/// A handover form's signature as drawn on the device.
#[derive(Debug, Serialize, ToSchema)]
pub struct DrawnSignature {
    pub allocation_id: uuid::Uuid,
    pub signed_at: chrono::DateTime<chrono::Utc>,
    /// The pen strokes: `[[[x, y], …], …]`, each point in 0..=1 of the pad.
    #[schema(value_type = Vec<Vec<Vec<f64>>>)]
    pub strokes: serde_json::Value,
}

pub async fn access(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: BeneficiaryId,
) -> Result<BeneficiaryAccess, AppError> {
    principal.require(Permission::ReadPersonalData)?;
    let beneficiary = get(db, principal, id).await?;
    let rows = entities::allocation::Entity::find()
        .filter(entities::allocation::Column::BeneficiaryId.eq(id.0))
        .all(db)
        .await?;
    let allocation_ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
    let allocations = crate::allocations::queries::shape(db, rows).await?;
    let complaints: Vec<crate::allocations::Complaint> = entities::complaint::Entity::find()
        .filter(entities::complaint::Column::AllocationId.is_in(allocation_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(crate::allocations::queries::complaint_from_row)
        .collect();
    let signatures = entities::allocation_signature::Entity::find()
        .filter(entities::allocation_signature::Column::AllocationId.is_in(allocation_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| DrawnSignature {
            allocation_id: s.allocation_id,
            signed_at: s.signed_at,
            strokes: s.strokes,
        })
        .collect();
    let subjects: Vec<uuid::Uuid> = std::iter::once(id.0)
        .chain(allocation_ids)
        .chain(complaints.iter().map(|c| c.id.0))
        .collect();
    let events = crate::ledger::history::all_about(db, subjects).await?;
    Ok(BeneficiaryAccess {
        beneficiary,
        allocations,
        complaints,
        signatures,
        events,
        generated_at: chrono::Utc::now(),
    })
}
