//! The beneficiary's acceptance: a drawn signature or a signed paper.

use entities::allocation_signature;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use sha2::{Digest, Sha256};

use super::{state_of, visible};
use crate::allocations::events::{self, SUBJECT};
use crate::allocations::queries::load;
use crate::allocations::refusals::AllocationRefused;
use crate::allocations::rules::{self, Step};
use crate::allocations::{Acceptance, Allocation, NewAcceptance};
use crate::error::{AppError, check_version};
use crate::ids::{AllocationId, SiteId};
use crate::ledger::Subject;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

/// The largest signature kept: a few hundred points a stroke is a signature;
/// more is something else.
const MAX_POINTS: usize = 5_000;

/// Records how the beneficiary accepted the device.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, allocation = %id))]
pub async fn accept(
    tx: &mut Tx,
    principal: &Principal,
    id: AllocationId,
    expected: i64,
    new: NewAcceptance,
) -> Result<Allocation, AppError> {
    principal.require(Permission::DispatchActions)?;
    let row = visible(tx, principal, id).await?;
    check_version(row.version, expected)?;
    rules::check(state_of(&row)?, Step::Accept)?;
    if row.acceptance != Acceptance::Pending.as_str() {
        return Err(AllocationRefused::AlreadyAccepted.into());
    }
    let signature_sha256 = match (new.method, new.strokes) {
        (Acceptance::SignedOnDevice, Some(strokes)) => {
            let points: usize = strokes.iter().map(Vec::len).sum();
            let in_pad = strokes
                .iter()
                .flatten()
                .all(|[x, y]| (0.0..=1.0).contains(x) && (0.0..=1.0).contains(y));
            if !(2..=MAX_POINTS).contains(&points) || !in_pad {
                return Err(AppError::field(
                    "strokes",
                    "must be a drawn signature: 2 to 5,000 points, each within 0..=1",
                ));
            }
            let strokes = serde_json::to_value(&strokes).map_err(AppError::internal)?;
            let digest = hex::encode(Sha256::digest(strokes.to_string().as_bytes()));
            allocation_signature::ActiveModel {
                allocation_id: Set(row.id),
                strokes: Set(strokes),
                signed_at: Set(chrono::Utc::now()),
            }
            .insert(tx.conn())
            .await?;
            Some(digest)
        }
        (Acceptance::SignedOnDevice, None) => {
            return Err(AppError::field(
                "strokes",
                "are required to sign on the device",
            ));
        }
        (Acceptance::SignedOnPaper, None) => None,
        (Acceptance::SignedOnPaper, Some(_)) => {
            return Err(AppError::field(
                "strokes",
                "are only for `signed_on_device`",
            ));
        }
        (Acceptance::Pending, _) => {
            return Err(AppError::field(
                "method",
                "must be `signed_on_device` or `signed_on_paper`",
            ));
        }
    };
    tx.record(
        Some(SiteId(row.site_id)),
        Subject::new(SUBJECT, id),
        events::Accepted {
            version: row.version + 1,
            method: new.method,
            signature_sha256,
        },
    )
    .await?;
    load(tx.conn(), id).await
}
