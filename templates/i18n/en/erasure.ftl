# Erasure at the bench (NIST SP 800-88 words).

## nist_category
nist_category-clear = Clear
nist_category-purge = Purge
nist_category-destroy = Destroy

## technique
technique-overwrite = Overwrite
technique-block_erase = Block erase
technique-crypto_erase = Cryptographic erase
technique-degauss = Degauss
technique-shred = Shred
technique-disintegrate = Disintegrate
technique-other = Other

## verification
verification-full = Full verification
verification-sampling = Sampled verification
verification-none = Not verified

## verification_result
verification_result-passed = passed
verification_result-failed = failed
verification_result-not_performed = not performed

## erasure_outcome
erasure_outcome-passed = Passed
erasure_outcome-failed = Failed

## erasure_source
erasure_source-manual = recorded by hand
erasure_source-nwipe = nwipe log

## destination
destination-reuse_internal = Reuse in the workshop
destination-reuse_external = Reuse outside the workshop
destination-recycling = Recycling
destination-manufacturer = Back to the manufacturer
destination-other = Other

## erasure
erasure-title = Data erasure
erasure-lshw = Hardware report (lshw -json)
erasure-lshw_help = Lists the device's drives and inventories it.
erasure-lshw_send = Send the report
erasure-nwipe = nwipe log
erasure-nwipe_help = Each drive of the log is matched to a medium of the device by its serial number.
erasure-nwipe_send = Import the log
erasure-destination = Where the media go
erasure-by_hand = Erasure by hand (NIST 800-88)…
erasure-medium = Medium
erasure-category = Category
erasure-technique = Technique
erasure-method = Method
erasure-tool = Tool
erasure-tool_version = Tool version
erasure-passes = Passes
erasure-verification = Verification
erasure-outcome = Result
erasure-errors = Errors seen
erasure-notes = Notes
erasure-record = Record the erasure
erasure-destroy = Destruction…
erasure-destroy_how = How (e.g. platters drilled)
erasure-witness = Witness
erasure-photo = Photo reference
erasure-destroy_record = Record the destruction
erasure-add_medium = Add a medium…
erasure-capacity_gb = Capacity (GB)
erasure-add = Add
erasure-records = Erasures
erasure-no_records = No erasure recorded.
erasure-pass_count = passes: { $n }
erasure-by = by
erasure-log_title = Log imported
erasure-log_incomplete = The log ends before nwipe's summary: no drive in it counts as erased.
erasure-log_recorded = Media recorded
erasure-unmatched = Drives that match no medium
erasure-attach_to = Attach to
erasure-new_medium = a new medium for this drive
erasure-kind = Kind
erasure-attach = Attach
erasure-certificates = Erasure certificates
erasure-certify = Issue the erasure certificate
erasure-certificate_language = Certificate language
erasure-verify = Verify
erasure-no_certificate = No erasure certificate issued.
erasure-witnessed = witness
erasure-nothing_open = Every medium is erased or destroyed.
erasure-status = nwipe status
