//! Scale benchmark, run by `scripts/scale.sh` (`cargo bench --bench scale`).
//!
//! Writes a realistic instance — by default 1,000,000 devices over five
//! years, about ten million events — through Retrace's own services and
//! ledger writer (hash chain, projections, policies: nothing is written as
//! raw rows), with the ledger's clock moved forward day by day. Then times
//! the impact report over it: a year, by site and for the whole network,
//! in process and over HTTP.
//!
//! `SCALE_DIR` (default `target/scale`) keeps the instance: a second run
//! reuses it and only measures. `SCALE_DEVICES` sets the size.
//!
//! Each device follows a fate drawn from its number: most are erased,
//! refurbished and given; some are recycled in the week's waste shipment,
//! dismantled or lost; the last months' devices are still in the workshop.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use retrace::config::Settings;
use retrace::error::AppError;
use retrace::ids::{BeneficiaryId, DeviceId, LotId, MediumId, SiteId, WorkerId};
use retrace::ledger::Reply;
use retrace::ledger::clock::Clock;
use retrace::principal::Principal;
use retrace::reports::Period;
use retrace::state::{AppState, Tx};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The first day of the history; it ends five years later.
const FIRST_DAY: &str = "2021-12-01";
const DAYS: u64 = 5 * 365 + 1;

fn request<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a well-formed request")
}

/// What becomes of a device, by its number.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    Reused,
    Recycled,
    Dismantled,
    Lost,
}

fn fate(n: u64) -> Fate {
    match n % 100 {
        0..=77 => Fate::Reused,
        78..=93 => Fate::Recycled,
        94..=97 => Fate::Dismantled,
        _ => Fate::Lost,
    }
}

const KINDS: [(&str, Option<&str>); 10] = [
    ("laptop", Some("ssd")),
    ("laptop", Some("ssd")),
    ("laptop", Some("hdd")),
    ("laptop", Some("nvme")),
    ("desktop", Some("hdd")),
    ("desktop", Some("ssd")),
    ("monitor", None),
    ("tablet", Some("emmc")),
    ("smartphone", Some("emmc")),
    ("printer", None),
];

/// The next step of a device, on the day it is due.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Audited, its drive erased (or found to have none): `sanitized`.
    Prepare,
    /// Refurbished, its OS installed, checked: `ready`.
    Refurbish,
    /// Reserved for a beneficiary and handed over.
    Give,
    /// Goes in the site's next waste shipment.
    Recycle,
    Dismantle,
    DeclareLost,
}

#[derive(Debug, Clone, Copy)]
struct Work {
    n: u64,
    device: DeviceId,
    medium: Option<MediumId>,
    site: usize,
    step: Step,
}

/// What the generator keeps between days.
#[derive(Default)]
struct World {
    sites: Vec<SiteId>,
    donors: Vec<retrace::ids::DonorId>,
    beneficiaries: Vec<Vec<BeneficiaryId>>,
    workers: Vec<(WorkerId, usize)>,
    agenda: BTreeMap<u64, Vec<Work>>,
    recycling: Vec<Vec<DeviceId>>,
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let dir = PathBuf::from(std::env::var("SCALE_DIR").unwrap_or_else(|_| "target/scale".into()));
    let devices: u64 = std::env::var("SCALE_DEVICES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    std::fs::create_dir_all(&dir).expect("data dir");
    let first: NaiveDate = FIRST_DAY.parse().expect("first day");
    let morning = |day: u64| -> DateTime<Utc> {
        (first + Days::new(day))
            .and_hms_opt(8, 0, 0)
            .expect("time")
            .and_utc()
    };
    let mut settings = Settings::for_data_dir(dir.clone(), None);
    settings.clock = Clock::manual(morning(0));
    let clock = settings.clock.clone();
    let state = retrace::start(settings).await.expect("start");

    let events = entities::event::Entity::find()
        .count(&state.db)
        .await
        .expect("count");
    if events == 0 {
        let started = Instant::now();
        generate(&state, &clock, devices, morning).await;
        let events = entities::event::Entity::find()
            .count(&state.db)
            .await
            .expect("count");
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "generated {devices} devices, {events} events in {seconds:.0} s ({:.0} events/s)",
            events as f64 / seconds
        );
    } else {
        println!("reusing {} ({events} events)", dir.display());
    }
    measure(&state, &dir).await;
}

/// Runs `work` as one writer job (one savepoint, committed with its batch).
async fn job<F>(state: &AppState, work: F) -> Value
where
    F: for<'t> FnOnce(&'t mut Tx) -> futures::future::BoxFuture<'t, Result<Reply, AppError>>
        + Send
        + 'static,
{
    state
        .ledger
        .submit(None, None, work)
        .await
        .unwrap_or_else(|e| panic!("{}", e.problem().detail))
        .reply
        .kept()
        .expect("the reply's JSON")
}

async fn generate(
    state: &AppState,
    clock: &Clock,
    devices: u64,
    morning: impl Fn(u64) -> DateTime<Utc>,
) {
    let world = Arc::new(Mutex::new(World::default()));
    // Two workshops, each a waste holder with a SIRET.
    for (code, siret, postcode) in [
        ("BRE", "80123456700015", "29200"),
        ("NAN", "80123456700023", "44000"),
    ] {
        let body = job(state, move |tx| {
            Box::pin(async move {
                let admin = Principal::instance();
                let site = retrace::sites::service::create(
                    tx,
                    &admin,
                    request(json!({"code": code, "name": format!("Atelier {code}")})),
                )
                .await?;
                let site = retrace::sites::service::update(
                    tx,
                    &admin,
                    site.id,
                    site.version,
                    request(json!({"siret": siret, "postcode": postcode})),
                )
                .await?;
                Reply::new(site.id)
            })
        })
        .await;
        let mut w = world.lock().expect("world");
        w.sites.push(request(body));
        w.beneficiaries.push(Vec::new());
        w.recycling.push(Vec::new());
    }
    // Three hundred donors; a team of fifteen at each site.
    let (w2, kinds) = (
        world.clone(),
        [
            "company",
            "public_body",
            "company",
            "association",
            "individual",
        ],
    );
    job(state, move |tx| {
        Box::pin(async move {
            let admin = Principal::instance();
            let sites = w2.lock().expect("world").sites.clone();
            for i in 0..300 {
                let donor = retrace::donors::service::create(
                    tx,
                    &admin,
                    request(
                        json!({"name": format!("Donateur {i:03}"), "kind": kinds[i % kinds.len()]}),
                    ),
                )
                .await?;
                w2.lock().expect("world").donors.push(donor.id);
            }
            let contracts = [
                "insertion",
                "insertion",
                "insertion",
                "permanent",
                "fixed_term",
                "apprentice",
                "volunteer",
            ];
            for (s, site) in sites.iter().enumerate() {
                for i in 0..15 {
                    let worker = retrace::workers::service::register(
                        tx,
                        &admin,
                        request(
                            json!({"site_id": site, "display_name": format!("Salarié {s}-{i}"),
                                       "contract_kind": contracts[i % contracts.len()],
                                       "started_on": FIRST_DAY, "weekly_hours": 26}),
                        ),
                    )
                    .await?;
                    w2.lock().expect("world").workers.push((worker.id, s));
                }
            }
            Reply::new(())
        })
    })
    .await;

    let per_day = devices.div_ceil(DAYS);
    let mut next = 0u64;
    let started = Instant::now();
    for day in 0..DAYS {
        clock.set(morning(day));
        let date = morning(day).date_naive();
        let arriving = (next..(next + per_day).min(devices)).collect::<Vec<_>>();
        next += arriving.len() as u64;
        let due = world
            .lock()
            .expect("world")
            .agenda
            .remove(&day)
            .unwrap_or_default();
        let shipping_day = date.weekday() == chrono::Weekday::Fri;
        let (w, c) = (world.clone(), clock.clone());
        job(state, move |tx| {
            Box::pin(
                async move { one_day(tx, &w, &c, day, date, arriving, due, shipping_day).await },
            )
        })
        .await;
        if day % 30 == 0 {
            eprintln!(
                "day {day}/{DAYS}: {next} devices in {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
}

/// A day of the workshop: the day's arrivals registered, every step due
/// today taken, the week's waste shipped on Fridays, everyone's hours.
#[allow(clippy::too_many_arguments)]
async fn one_day(
    tx: &mut Tx,
    world: &Mutex<World>,
    clock: &Clock,
    day: u64,
    date: NaiveDate,
    arriving: Vec<u64>,
    due: Vec<Work>,
    shipping_day: bool,
) -> Result<Reply, AppError> {
    let admin = Principal::instance();
    let (sites, donors) = {
        let w = world.lock().expect("world");
        (w.sites.clone(), w.donors.clone())
    };
    let tick = || {
        clock.set(clock.now() + chrono::Duration::seconds(7));
    };
    // One lot a day at each site, from the donors in turn.
    let mut lots: Vec<LotId> = Vec::new();
    for (s, site) in sites.iter().enumerate() {
        let donor = donors[(day as usize * 2 + s) % donors.len()];
        let lot = retrace::lots::service::create(
            tx,
            &admin,
            request(json!({"donor_id": donor, "site_id": site, "received_on": date})),
        )
        .await?;
        lots.push(lot.id);
    }
    let mut planned = Vec::new();
    for n in arriving {
        tick();
        let site = (n % 2) as usize;
        let (kind, drive) = KINDS[(n / 2 % KINDS.len() as u64) as usize];
        let weight = (n % 3 != 0).then(|| 1.0 + (n % 40) as f64 / 10.0);
        let device = retrace::devices::service::register(
            tx,
            &admin,
            request(
                json!({"lot_id": lots[site], "kind": kind, "manufacturer": "Dell",
                           "model": "Latitude", "serial_number": format!("SC{n:08}"),
                           "weight_kg": weight}),
            ),
        )
        .await?;
        let medium = match drive {
            Some(drive) => Some(
                retrace::media::service::add(
                    tx,
                    &admin,
                    device.id,
                    request(json!({"kind": drive, "serial_number": format!("DR{n:08}")})),
                )
                .await?
                .id,
            ),
            None => None,
        };
        planned.push((
            day + 3 + n % 10,
            Work {
                n,
                device: device.id,
                medium,
                site,
                step: Step::Prepare,
            },
        ));
    }
    for work in due {
        tick();
        let Work { n, device, .. } = work;
        let act = |action: &str, extra: Value| {
            let mut body = json!({"action": action});
            if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
                b.extend(e.clone());
            }
            request::<retrace::devices::TransitionRequest>(body)
        };
        let then = match work.step {
            Step::Prepare => {
                let v = version(tx, device).await?;
                retrace::devices::service::transition(
                    tx,
                    &admin,
                    device,
                    v,
                    act("audit", json!({})),
                )
                .await?;
                if fate(n) == Fate::Lost {
                    Some((day + 60, Step::DeclareLost))
                } else {
                    match work.medium {
                        Some(medium) => {
                            retrace::media::service::transition(
                                tx,
                                &admin,
                                medium,
                                1,
                                request(json!({"action": "record_erasure", "outcome": "passed",
                                               "method": "nwipe PRNG Stream, 1 pass, verified"})),
                            )
                            .await?;
                        }
                        None => {
                            let v = version(tx, device).await?;
                            retrace::devices::service::transition(
                                tx,
                                &admin,
                                device,
                                v,
                                act("sanitize_not_applicable", json!({})),
                            )
                            .await?;
                        }
                    }
                    match fate(n) {
                        Fate::Reused => Some((day + 10 + n % 20, Step::Refurbish)),
                        Fate::Recycled => Some((day + 7, Step::Recycle)),
                        _ => Some((day + 7, Step::Dismantle)),
                    }
                }
            }
            Step::Refurbish => {
                for (action, extra) in [
                    ("start_refurbish", json!({})),
                    ("install_os", json!({"os": "Linux Mint 22.1"})),
                    (
                        "pass_qc",
                        json!({"checklist": {"boot": true, "keyboard": true, "screen": true,
                                             "battery": true, "network": true, "os": true}}),
                    ),
                ] {
                    let v = version(tx, device).await?;
                    retrace::devices::service::transition(
                        tx,
                        &admin,
                        device,
                        v,
                        act(action, extra),
                    )
                    .await?;
                }
                Some((day + 20 + n % 70, Step::Give))
            }
            Step::Give => {
                // A new beneficiary for every other device; the others come back.
                let person = {
                    let w = world.lock().expect("world");
                    let pool = &w.beneficiaries[work.site];
                    (n % 2 == 1 && !pool.is_empty()).then(|| pool[(n as usize / 2) % pool.len()])
                };
                let person = match person {
                    Some(person) => person,
                    None => {
                        let categories = [
                            "student",
                            "job_seeker",
                            "senior",
                            "low_income",
                            "association",
                            "school",
                        ];
                        let postcodes = [
                            "29200", "29000", "56100", "44000", "35000", "20090", "97110",
                        ];
                        let new = retrace::beneficiaries::service::register(
                            tx,
                            &admin,
                            request(json!({"site_id": sites[work.site],
                                           "category": categories[n as usize % categories.len()],
                                           "postcode": postcodes[n as usize / 7 % postcodes.len()]})),
                        )
                        .await?;
                        world.lock().expect("world").beneficiaries[work.site].push(new.id);
                        new.id
                    }
                };
                let allocation = retrace::allocations::service::reserve(
                    tx,
                    &admin,
                    request(json!({"device_id": device, "beneficiary_id": person,
                                   "conditions": {"kind": "free"}, "warranty_months": 6})),
                )
                .await?;
                retrace::allocations::service::deliver(
                    tx,
                    &admin,
                    allocation.id,
                    allocation.version,
                    request(json!({})),
                )
                .await?;
                None
            }
            Step::Recycle => {
                world.lock().expect("world").recycling[work.site].push(device);
                None
            }
            Step::Dismantle => {
                let v = version(tx, device).await?;
                retrace::refurbishment::service::dismantle(
                    tx,
                    &admin,
                    device,
                    v,
                    request(json!({"parts": ["Barrette RAM 8 Go"]})),
                )
                .await?;
                None
            }
            Step::DeclareLost => {
                let v = version(tx, device).await?;
                retrace::devices::service::transition(
                    tx,
                    &admin,
                    device,
                    v,
                    act(
                        "declare_lost",
                        json!({"note": "introuvable à l'inventaire"}),
                    ),
                )
                .await?;
                None
            }
        };
        if let Some((when, step)) = then {
            planned.push((when, Work { step, ..work }));
        }
    }
    if shipping_day {
        for (s, site) in sites.iter().enumerate() {
            let items: Vec<DeviceId> =
                std::mem::take(&mut world.lock().expect("world").recycling[s]);
            if items.is_empty() {
                continue;
            }
            tick();
            retrace::waste::service::dispatch(
                tx,
                &admin,
                request(json!({"site_id": site, "dispatched_on": date,
                               "recycler": {"name": "Envie 2E Bretagne", "siret": "73282932000074"},
                               "waste_code": "16 02 14", "treatment_code": "R 4",
                               "items": items.iter().map(|d| json!({"device_id": d})).collect::<Vec<_>>()})),
            )
            .await?;
        }
    }
    // The team's day, on working days: six hours each, one of them training on Mondays.
    if date.weekday().num_days_from_monday() < 5 {
        let workers = world.lock().expect("world").workers.clone();
        let monday = date.weekday() == chrono::Weekday::Mon;
        let entries: Vec<Value> = workers
            .iter()
            .flat_map(|(worker, _)| {
                let mut day = vec![json!({"worker_id": worker, "date": date, "hours": if monday { 4.0 } else { 5.0 }, "activity": "repair"})];
                day.push(json!({"worker_id": worker, "date": date, "hours": 1.0,
                                "activity": if monday { "training" } else { "intake" }}));
                day
            })
            .collect();
        retrace::timesheets::service::record(tx, &admin, request(json!({"entries": entries})))
            .await?;
    }
    let mut w = world.lock().expect("world");
    for (when, work) in planned {
        if when < DAYS {
            w.agenda.entry(when).or_default().push(work);
        }
    }
    Reply::new(())
}

/// The device's version, which a transition must name.
async fn version(tx: &Tx, device: DeviceId) -> Result<i64, AppError> {
    Ok(entities::device::Entity::find_by_id(device.0)
        .one(tx.conn())
        .await?
        .map_or(0, |d| d.version))
}

/// Times the report: the instance's last year (up to its last event), for
/// the network, one site and one donor (its impact statement's figures),
/// five runs each in process. Writes the
/// period to `period` in the data directory for the HTTP runs.
async fn measure(state: &AppState, dir: &std::path::Path) {
    use sea_orm::{QueryOrder, QuerySelect};
    let last: DateTime<Utc> = entities::event::Entity::find()
        .select_only()
        .column(entities::event::Column::At)
        .order_by_desc(entities::event::Column::Seq)
        .into_tuple()
        .one(&state.db)
        .await
        .expect("last event")
        .expect("an event");
    let to = last.date_naive();
    let period = Period {
        from: to - Days::new(364),
        to,
    };
    std::fs::write(
        dir.join("period"),
        format!("from={}&to={}", period.from, period.to),
    )
    .expect("period file");
    let site = entities::site::Entity::find()
        .one(&state.db)
        .await
        .expect("site")
        .map(|s| SiteId(s.id));
    // The donor of the latest lot: what their impact statement for the year counts.
    let donor = entities::lot::Entity::find()
        .order_by_desc(entities::lot::Column::ReceivedOn)
        .one(&state.db)
        .await
        .expect("lot")
        .map(|l| retrace::reports::Donation::Donor(retrace::ids::DonorId(l.donor_id)));
    let focuses = [
        ("network", retrace::reports::Focus::site(None)),
        ("one site", retrace::reports::Focus::site(site)),
        (
            "one donor (its statement)",
            retrace::reports::Focus {
                site: None,
                donation: donor,
            },
        ),
    ];
    for (label, focus) in focuses {
        let mut times = Vec::new();
        let mut report = None;
        for _ in 0..5 {
            let started = Instant::now();
            report = Some(
                retrace::reports::impact::report(
                    &state.db,
                    &Principal::instance(),
                    period,
                    focus,
                    &retrace::impact::Factors::for_request(&state.settings).expect("factors"),
                )
                .await
                .expect("report"),
            );
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let report = report.expect("a report");
        println!(
            "impact report, {} to {}, {label}: median {:.0} ms (min {:.0}, max {:.0}); collected {}, reused {}, in stock {}",
            period.from,
            period.to,
            times[2],
            times[0],
            times[4],
            report.current.devices.collected,
            report.current.devices.reused,
            report.current.devices.in_stock
        );
    }
}
