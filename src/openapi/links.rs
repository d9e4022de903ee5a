//! How one answer leads to the next request: a workshop's path through the
//! API — a donor gives a lot, its devices are registered, transitioned, their
//! drives erased, a device handed over and signed for — written as OpenAPI
//! links, so that a client (or a stateful fuzzer) can follow it without
//! guessing which field of an answer a later request wants.

use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::RefOr;
use utoipa::openapi::link::LinkBuilder;

/// The `id` of the answer: what a created record is named by.
const ID: &str = "$response.body#/id";
/// The `version` of the answer: what the next change to it expects.
const VERSION: &str = "$response.body#/version";
/// The `id` of the request's own path, for a record changed again.
const SAME: &str = "$request.path.id";

/// One link: the operation that answers, a name, the operation it leads to,
/// and what of the answer fills the next request's path and body.
pub struct Link {
    pub from: &'static str,
    pub name: &'static str,
    pub to: &'static str,
    pub path: &'static [(&'static str, &'static str)],
    pub body: &'static [(&'static str, &'static str)],
}

const fn link(
    from: &'static str,
    name: &'static str,
    to: &'static str,
    path: &'static [(&'static str, &'static str)],
    body: &'static [(&'static str, &'static str)],
) -> Link {
    Link {
        from,
        name,
        to,
        path,
        body,
    }
}

/// Read it again, by the id the answer gave.
const BY_ID: &[(&str, &str)] = &[("id", ID)];
/// Change it, at the version the answer gave.
const AT_VERSION: &[(&str, &str)] = &[("expected_version", VERSION)];

pub const LINKS: &[Link] = &[
    link("create_site", "GetSite", "get_site", BY_ID, &[]),
    link(
        "create_site",
        "UpdateSite",
        "update_site",
        BY_ID,
        AT_VERSION,
    ),
    link("create_donor", "GetDonor", "get_donor", BY_ID, &[]),
    link(
        "create_donor",
        "UpdateDonor",
        "update_donor",
        BY_ID,
        AT_VERSION,
    ),
    link(
        "create_donor",
        "ReceiveLot",
        "create_lot",
        &[],
        &[("donor_id", ID)],
    ),
    link("create_lot", "GetLot", "get_lot", BY_ID, &[]),
    link("create_lot", "UpdateLot", "update_lot", BY_ID, AT_VERSION),
    link(
        "create_lot",
        "RegisterDevice",
        "create_device",
        &[],
        &[("lot_id", ID)],
    ),
    link(
        "create_lot",
        "ImportAssetList",
        "import_devices",
        BY_ID,
        &[],
    ),
    link("create_lot", "OpenPortalLink", "create_link", BY_ID, &[]),
    link("create_lot", "ListPortalLinks", "list_links", BY_ID, &[]),
    link("create_lot", "Reconcile", "lot_reconciliation", BY_ID, &[]),
    link("create_device", "GetDevice", "get_device", BY_ID, &[]),
    link(
        "create_device",
        "UpdateDevice",
        "update_device",
        BY_ID,
        AT_VERSION,
    ),
    link(
        "create_device",
        "RecordEvent",
        "record_event",
        BY_ID,
        AT_VERSION,
    ),
    link("create_device", "History", "history", BY_ID, &[]),
    link("create_device", "AddMedium", "add_medium", BY_ID, &[]),
    link("create_device", "ListMedia", "device_media", BY_ID, &[]),
    link(
        "create_device",
        "RecordWork",
        "record_work",
        BY_ID,
        AT_VERSION,
    ),
    link("create_device", "ListWork", "list_work", BY_ID, &[]),
    link("create_device", "Dismantle", "dismantle", BY_ID, AT_VERSION),
    link(
        "create_device",
        "Allocate",
        "reserve",
        &[],
        &[("device_id", ID), ("device_version", VERSION)],
    ),
    link(
        "record_event",
        "NextEvent",
        "record_event",
        &[("id", SAME)],
        &[("expected_version", "$response.body#/device/version")],
    ),
    link("add_medium", "GetMedium", "get_medium", BY_ID, &[]),
    link(
        "add_medium",
        "UpdateMedium",
        "update_medium",
        BY_ID,
        AT_VERSION,
    ),
    link(
        "add_medium",
        "RecordMediumEvent",
        "record_medium_event",
        BY_ID,
        AT_VERSION,
    ),
    link("add_medium", "MediumHistory", "medium_history", BY_ID, &[]),
    link(
        "add_medium",
        "Erase",
        "create_erasure",
        &[],
        &[("medium_id", ID)],
    ),
    link(
        "create_erasure",
        "GetErasure",
        "get_erasure",
        &[("id", "$response.body#/erasure/id")],
        &[],
    ),
    link(
        "create_beneficiary",
        "GetBeneficiary",
        "get_beneficiary",
        BY_ID,
        &[],
    ),
    link(
        "create_beneficiary",
        "ReadPersonalData",
        "read_beneficiary_personal_data",
        BY_ID,
        &[],
    ),
    link(
        "create_beneficiary",
        "Allocate",
        "reserve",
        &[],
        &[("beneficiary_id", ID)],
    ),
    link("reserve", "GetAllocation", "get_allocation", BY_ID, &[]),
    link("reserve", "Accept", "accept", BY_ID, AT_VERSION),
    link("reserve", "Deliver", "deliver", BY_ID, AT_VERSION),
    link("reserve", "Release", "release", BY_ID, AT_VERSION),
    link("reserve", "HandoverForm", "handover_form", BY_ID, &[]),
    link("reserve", "LogComplaint", "log_complaint", BY_ID, &[]),
    link("reserve", "ListComplaints", "list_complaints", BY_ID, &[]),
    link("accept", "Deliver", "deliver", &[("id", SAME)], AT_VERSION),
    link(
        "deliver",
        "Return",
        "return_device",
        &[("id", SAME)],
        AT_VERSION,
    ),
    link(
        "log_complaint",
        "Answer",
        "answer_complaint",
        BY_ID,
        AT_VERSION,
    ),
    link("start_audit", "GetAudit", "get_audit", BY_ID, &[]),
    link("start_audit", "Scan", "scan_item", BY_ID, &[]),
    link("start_audit", "Close", "close_audit", BY_ID, AT_VERSION),
    link(
        "issue_certificate",
        "GetCertificate",
        "get_certificate",
        &[("number", "$response.body#/number")],
        &[],
    ),
    link(
        "issue_certificate",
        "CertificateFile",
        "certificate_file",
        &[("number", "$response.body#/number")],
        &[],
    ),
    link(
        "issue_certificate",
        "Verify",
        "verify_page",
        &[("number", "$response.body#/number")],
        &[],
    ),
    link("create_link", "Revoke", "revoke_link", BY_ID, AT_VERSION),
    link("dispatch", "GetShipment", "get_shipment", BY_ID, &[]),
    link("create_worker", "GetWorker", "get_worker", BY_ID, &[]),
    link(
        "create_worker",
        "UpdateWorker",
        "update_worker",
        BY_ID,
        AT_VERSION,
    ),
    link(
        "create_worker",
        "RecordHours",
        "record_entry",
        &[],
        &[("worker_id", ID)],
    ),
    link(
        "create_worker",
        "SkillsPassport",
        "skills_passport",
        BY_ID,
        &[],
    ),
    link(
        "create_worker",
        "ReadPersonalData",
        "read_worker_personal_data",
        BY_ID,
        &[],
    ),
    link("record_entry", "Correct", "update_entry", BY_ID, AT_VERSION),
    link("create_user", "GetUser", "get_user", BY_ID, &[]),
    link(
        "create_user",
        "UpdateUser",
        "update_user",
        BY_ID,
        AT_VERSION,
    ),
    link("create_token", "Revoke", "revoke_token", BY_ID, &[]),
];

/// Adds [`LINKS`] to the success answer of each operation they start from.
pub fn add(document: &mut Document) {
    let operations = document
        .paths
        .paths
        .values_mut()
        .flat_map(super::operations_mut);
    for operation in operations {
        let Some(id) = operation.operation_id.clone() else {
            continue;
        };
        let success = operation
            .responses
            .responses
            .iter_mut()
            .find(|(status, _)| status.starts_with('2'));
        let Some((_, RefOr::T(response))) = success else {
            continue;
        };
        for link in LINKS.iter().filter(|link| link.from == id) {
            let mut built = LinkBuilder::new().operation_id(link.to);
            for (parameter, expression) in link.path {
                built = built.parameter(*parameter, *expression);
            }
            if !link.body.is_empty() {
                let body: serde_json::Map<_, _> = link
                    .body
                    .iter()
                    .map(|(field, expression)| ((*field).to_owned(), (*expression).into()))
                    .collect();
                built = built.request_body(Some(body));
            }
            response
                .links
                .insert(link.name.to_owned(), RefOr::T(built.build()));
        }
    }
}
