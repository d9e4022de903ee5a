//! The stock view: devices ready to give, by kind, grade, specs and site —
//! what a coordinator looks at before allocating — with the filters a
//! request from a school or a social worker needs ("a laptop, 8 GB, grade
//! A or B"). Loose drives and parts are elsewhere; this is what can leave.

pub mod routes;

use std::collections::BTreeMap;

use entities::device;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::devices::{Device, DeviceKind, DeviceState, Grade};
use crate::domain::Domain;
use crate::error::AppError;
use crate::ids::SiteId;
use crate::principal::{Permission, Principal};

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router);

/// The most devices one stock answer lists (the counts cover them all).
pub const MAX_ITEMS: usize = 500;

/// What a stock view may be narrowed to.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StockFilter {
    pub kind: Option<DeviceKind>,
    pub grade: Option<Grade>,
    pub site_id: Option<SiteId>,
    /// At least this much RAM, in GB.
    #[param(minimum = 0, maximum = 4_294_967_295_u64, format = Int64)]
    pub min_ram_gb: Option<u32>,
    /// Part of the model, CPU or OS.
    pub q: Option<String>,
}

/// How many ready devices of one kind and grade a site holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StockCount {
    pub site_id: SiteId,
    pub kind: DeviceKind,
    /// `null` when not graded yet.
    pub grade: Option<Grade>,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Stock {
    pub counts: Vec<StockCount>,
    /// The devices themselves, by kind then tag, at most 500.
    pub items: Vec<Device>,
    /// How many matched in all.
    pub total: u64,
}

fn matches(filter: &StockFilter, device: &Device) -> bool {
    let ram_ok = filter.min_ram_gb.is_none_or(|gb| {
        device
            .specs
            .ram_mib
            .is_some_and(|mib| u64::from(mib) >= u64::from(gb) * 1024)
    });
    let text_ok = filter
        .q
        .as_deref()
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty())
        .is_none_or(|q| {
            [
                device.model.as_deref(),
                device.manufacturer.as_deref(),
                device.specs.cpu.as_deref(),
                device.os.as_deref(),
            ]
            .into_iter()
            .flatten()
            .any(|field| field.to_lowercase().contains(&q))
        });
    ram_ok && text_ok
}

/// Counts are kept in the order they are shown: site, kind, grade.
type CountKey = (uuid::Uuid, &'static str, Option<String>);

/// The ready devices `principal` may allocate or look at.
pub async fn ready(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &StockFilter,
) -> Result<Stock, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select =
        device::Entity::find().filter(device::Column::State.eq(DeviceState::Ready.as_str()));
    if let Some(own) = principal.site_scope() {
        select = select.filter(device::Column::SiteId.eq(own));
    }
    if let Some(site) = filter.site_id {
        select = select.filter(device::Column::SiteId.eq(site.0));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(device::Column::Kind.eq(kind.as_str()));
    }
    if let Some(grade) = filter.grade {
        select = select.filter(device::Column::Grade.eq(format!("{grade:?}")));
    }
    // Specs are a JSON column: RAM and text are matched here, over the
    // shelf of one network, which is thousands of devices at most.
    let rows = select
        .order_by_asc(device::Column::Kind)
        .order_by_asc(device::Column::AssetTag)
        .limit(50_000)
        .all(db)
        .await?;
    let mut counts: BTreeMap<CountKey, (DeviceKind, Option<Grade>, u64)> = BTreeMap::new();
    let mut items = Vec::new();
    let mut total = 0;
    for row in rows {
        let device = Device::try_from(row)?;
        if !matches(filter, &device) {
            continue;
        }
        total += 1;
        let entry = counts
            .entry((
                device.site_id.0,
                device.kind.as_str(),
                device.grade.map(|g| format!("{g:?}")),
            ))
            .or_insert((device.kind, device.grade, 0));
        entry.2 += 1;
        if items.len() < MAX_ITEMS {
            items.push(device);
        }
    }
    Ok(Stock {
        counts: counts
            .into_iter()
            .map(|((site, _, _), (kind, grade, count))| StockCount {
                site_id: SiteId(site),
                kind,
                grade,
                count,
            })
            .collect(),
        items,
        total,
    })
}
