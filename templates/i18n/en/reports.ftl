# The impact report, the donor portal and impact statements.

## report
report-compared = compared with
report-title = Impact report
report-network = The whole network
report-collected = Devices collected
report-reused = Devices reused (delivered)
report-recycled = Devices recycled
report-dismantled = Devices dismantled
report-lost = Devices lost
report-in_stock = In stock at the end
report-kg_collected = kg collected
report-kg_reused = kg reused
report-kg_recycled = kg recycled
report-co2e = kg CO2e avoided
report-individuals = People equipped
report-organisations = Organisations equipped
report-hours = Hours worked
report-fte = FTE
report-jobs_created = Jobs created (starts)
report-dynamic_exits = Dynamic exits
report-training_hours = Training hours
report-median_days = Median days from intake to delivery
report-non_conformity = Non-conformity rate
report-chart_devices = What became of the devices
report-chart_beneficiaries = Beneficiaries by category
report-chart_workers = Team by contract
report-by_departement = Beneficiaries by département
report-co2e_source = CO2e avoided: ADEME / Arcep factors (2022, manufacturing and distribution); kinds without a factor are not estimated, never counted as zero.

## portal
portal-links = Donor portal
portal-links_help = A secret link, with no account, through which the donor follows their devices and downloads the certificates. Revocable at any time.
portal-issued = Link created. Copy it now: it will not be shown again.
portal-label = For whom (optional)
portal-expires_on = Last day (optional)
portal-create = Create a link
portal-revoke = Revoke
portal-until = until
portal-openings =
    { $n ->
        [one] opening
       *[other] openings
    }
portal-status_active = active
portal-status_expired = expired
portal-status_revoked = revoked
portal-title = What became of your donation
portal-intro = Follow here what becomes of the devices you gave: data erasure, refurbishment, reuse. No personal data is shown.
portal-received_on = Donation received on
portal-reference = your reference
portal-progress = Where your devices are
portal-stage_received =
    { $n ->
       *[other] received, awaiting erasure
    }
portal-stage_erased =
    { $n ->
       *[other] erased
    }
portal-stage_refurbished =
    { $n ->
       *[other] refurbished
    }
portal-stage_reused =
    { $n ->
       *[other] reused
    }
portal-stage_recycled =
    { $n ->
       *[other] recycled
    }
portal-stage_lost =
    { $n ->
       *[other] lost
    }
portal-certificates = Certificates
portal-no_certificate = No certificate has been issued for this donation yet.
portal-download = Download
portal-verify = verify
portal-certificate_donor = the donor certificate
portal-certificate_erasure = the erasure certificate
portal-certificate_impact_statement = the impact statement
portal-devices = Your devices
portal-erased = data erased on
portal-reconciliation = Reconciliation for your asset register (CSV)
portal-reconciliation_help = One line per device: asset number, outcome and date, erasure, certificate and its verification link — what your IT needs to write each asset off with its proof.
portal-not_erased = erasure to come
portal-search = Find a device (tag, serial number, your inventory number)
portal-stage = Where it stands
portal-show_all = Show every device

## statement
statement-device = device
statement-devices = devices
statement-section = Certificates and impact statements
statement-section_help = The impact statement tells the donor what their donation became — reuse, recycling, CO2e avoided, insertion hours — for their CSR / CSRD reporting. Numbered, signed, verifiable; the donor also downloads it from their portal.
statement-for_lot = For this lot, from its reception to today
statement-for_year = For every donation of this donor over the year
statement-year = Year
statement-language = Language
statement-issue = Issue the statement
statement-title = Donation impact statement
statement-covers_lot = Donation received on { $received }
statement-covers_year = Every donation of the year { $year }
statement-period = Period covered: { $from } to { $to }
statement-intro = { $workshop } states that the IT equipment given by { $donor } became, over this period, what follows. Every figure comes from the workshop's traceability ledger and equals its impact report's for this donor and period.
statement-what_became = What your equipment became
statement-collected = Devices received
statement-reused = Reused: refurbished and given to a beneficiary
statement-recycled = Recycled through an approved WEEE scheme
statement-dismantled = Dismantled for parts to be reused
statement-in_progress = Still being processed at the end of the period
statement-kg_collected = Weight received
statement-kg_reused = Weight reused
statement-kg_recycled = Weight recycled
statement-col_kind = Kind
statement-col_collected = Received
statement-col_reused = Reused
statement-col_recycled = Recycled
statement-who = Who benefited
statement-individuals = People equipped
statement-organisations = Organisations equipped (associations, schools…)
statement-departement = département { $code }
statement-departement_unknown = territory not recorded
statement-no_person = No person is named: only categories of beneficiaries and territories appear here, and any count of fewer than 5 people (or one that would give such a count away) reads "<5".
statement-climate = Climate
statement-co2e = Emissions avoided by reuse
statement-factors = Factors per device reused
statement-source = Source of the factors
statement-not_estimated =
    { $count ->
        [one] { $count } device reused of a kind with no published factor: not estimated, never counted as zero.
       *[other] { $count } devices reused of a kind with no published factor: not estimated, never counted as zero.
    }
statement-work = Jobs and insertion
statement-hours_supported = Hours of insertion work this donation supported
statement-hours_rule = Rule: the hours worked under insertion contracts in the workshop over the period ({ $hours } h), times this donation's share of the devices the workshop saw through (reused, recycled or dismantled: { $sent_on } of { $all }).
statement-esrs = For your CSRD reporting — ESRS E5, resource use and circular economy
statement-esrs_intro = These figures document resource outflows (E5-5): the equipment entrusted to the workshop was diverted from disposal, by type of recovery operation.
statement-esrs_reuse = Preparation for reuse
statement-esrs_recycling = Recycling
statement-esrs_diverted = Total diverted from disposal
statement-esrs_co2e = Greenhouse gas emissions avoided (additional information)
statement-method = Method: a device counts as reused if it was delivered in the period and had not come back when it ended. Weights are those weighed at the workshop or, failing that, the typical weight of the device's kind.
statement-signed = Document number { $number }, electronically signed (Ed25519). Verify it at { $url } or offline with "retrace verify".
