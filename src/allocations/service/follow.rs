//! A device moved by its own lifecycle moves its allocation too.

use super::state_of;
use crate::allocations::ReturnReason;
use crate::allocations::events::{self, SUBJECT};
use crate::allocations::queries::open_for_device;
use crate::allocations::rules::{self, Step};
use crate::error::AppError;
use crate::ids::{AllocationId, DeviceId, SiteId};
use crate::ledger::{Event, Subject};
use crate::state::Tx;

/// What an allocation records when its device moves: run by the policies
/// after every device transition, so a `deliver`, `release` or `return` sent
/// to the device itself moves its allocation too.
#[tracing::instrument(level = "debug", skip_all, fields(device = %device))]
pub async fn follow_device(
    tx: &mut Tx,
    device: DeviceId,
    moved: &crate::devices::events::Transitioned,
    event: &Event,
) -> Result<(), AppError> {
    let Some(step) = moved.action.and_then(Step::of_device_action) else {
        return Ok(());
    };
    let Some(row) = open_for_device(tx, device).await? else {
        return Ok(());
    };
    if rules::check(state_of(&row)?, step).is_err() {
        return Ok(());
    }
    let id = AllocationId(row.id);
    let subject = Subject::new(SUBJECT, id);
    let site = Some(SiteId(row.site_id));
    let version = row.version + 1;
    match step {
        Step::Deliver => {
            tx.record(site, subject, events::Delivered { version })
                .await?;
        }
        Step::Release => {
            let note = moved.note.clone();
            tx.record(site, subject, events::Released { version, note })
                .await?;
        }
        _ => {
            let delivered = row.delivered_at.unwrap_or(event.at);
            let days = (event.at - delivered).num_days().max(0);
            let months = u8::try_from(row.warranty_months).unwrap_or(0);
            let until = crate::allocations::warranty_until(delivered.date_naive(), months);
            let reason = moved
                .reason
                .as_deref()
                .and_then(ReturnReason::parse)
                .unwrap_or(ReturnReason::Other);
            tx.record(
                site,
                subject,
                events::Returned {
                    version,
                    reason,
                    days_since_delivery: days,
                    under_warranty: event.at.date_naive() <= until,
                    fault_description: moved.note.clone(),
                },
            )
            .await?;
        }
    }
    Ok(())
}
