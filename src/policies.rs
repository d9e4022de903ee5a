//! Consequences that cross domains, in one place. The ledger writer runs
//! these after every event a job appends, and after every event they append
//! themselves, until nothing follows. Each consequence is an event of its
//! own (recorded by the domain's service), so a replay needs none of this.
//!
//! - a medium's erasure record moves the medium (erased, failed, destroyed);
//! - a medium that became safe, or left a device, may settle that device
//!   (`sanitized` once every medium still in it is sanitized or destroyed);
//! - a device audited or put to erasing settles too, if its media already are;
//! - a device returned by its beneficiary: every medium in it goes back to
//!   `present` (it holds their data now);
//! - a device delivered, released or returned: its open allocation follows.

use std::any::Any;

use futures::future::BoxFuture;

use crate::devices::{Action, DeviceState};
use crate::error::AppError;
use crate::ids::DeviceId;
use crate::ledger::{Event, Policies};
use crate::state::Tx;
use crate::{allocations, devices, erasure, media};

/// Retrace's policies, given to the ledger writer at start.
#[derive(Debug, Clone, Copy, Default)]
pub struct Consequences;

impl Policies<AppError> for Consequences {
    fn follow<'t>(
        &'t self,
        tx: &'t mut Tx,
        event: &'t Event,
        payload: &'t (dyn Any + Send + Sync),
    ) -> BoxFuture<'t, Result<(), AppError>> {
        Box::pin(async move {
            if let Some(recorded) = payload.downcast_ref::<erasure::events::Recorded>() {
                media::service::erased(
                    tx,
                    recorded.medium_id,
                    event.subject_id,
                    recorded.outcome == erasure::Outcome::Passed,
                    recorded.destroys(),
                    recorded.method.clone(),
                    recorded.witness.clone(),
                )
                .await?;
            } else if let Some(moved) = payload.downcast_ref::<media::events::Transitioned>() {
                let mut touched: Vec<DeviceId> = moved
                    .from_device_id
                    .into_iter()
                    .chain(moved.device_id)
                    .collect();
                touched.sort();
                touched.dedup();
                for device in touched {
                    devices::service::settle(tx, device).await?;
                }
            } else if let Some(moved) = payload.downcast_ref::<devices::events::Transitioned>() {
                let device = DeviceId(event.subject_id);
                if moved.action == Some(Action::Return) {
                    media::service::reset_in_device(tx, device).await?;
                }
                allocations::service::follow_device(tx, device, moved, event).await?;
                if matches!(moved.to, DeviceState::Inventoried | DeviceState::Erasing) {
                    devices::service::settle(tx, device).await?;
                }
            }
            Ok(())
        })
    }

    fn committed(&self, jobs: usize, waiting: usize, events: &[Event]) {
        crate::metrics::batch_committed(jobs, waiting, events.iter().map(|e| e.kind.as_str()));
        for result in events.iter().filter_map(erasure::events::result_of) {
            crate::metrics::erasure(result);
        }
    }
}
