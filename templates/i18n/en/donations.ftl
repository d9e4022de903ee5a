# Donors and the lots they give, and the import of their asset lists.

## donor_kind
donor_kind-company = Company
donor_kind-public_body = Public body
donor_kind-association = Association
donor_kind-individual = Individual

## donor
donor-list_title = Donors
donor-search = Name or SIRET
donor-none = No donor found.
donor-new = New donor
donor-create = Record the donor
donor-name = Name
donor-kind = Kind of donor
donor-siret = SIRET
donor-siret_help = 14 digits; spaces are accepted.
donor-address = Address
donor-contact = Contact person
donor-contact_name = Contact's name
donor-contact_email = Contact's email
donor-contact_phone = Contact's phone
donor-lots = Donations
donor-statements = Certificates and statements
donor-no_statements = No certificate issued.
donor-edit = Correct…
donor-save = Save the corrections
donor-erase = Erase personal data…
donor-erase_help = The contact (and, for an individual, their name and address) is erased everywhere; donations and certificates stay.
donor-erase_confirm = Erase for good

## lot
lot-new = New donation
lot-no_donor = Record the donor first.
lot-donor = Donor
lot-donor_missing = The donor is not in the list?
lot-received_on = Received on
lot-reference = Donor's reference
lot-declared_count = Devices announced
lot-weight_kg = Weight (kg)
lot-notes = Notes
lot-create = Record the donation
lot-print_new = Print the labels of the new devices
lot-issue_donor = Issue the donor certificate
lot-erasure_for = Erasure certificate for
lot-list_title = Donations received
lot-none = No donation on record.
lot-received = Received on
lot-declared = declared:
lot-import_title = Import the donor's asset list
lot-file = CSV file (GLPI, Snipe-IT, spreadsheet)
lot-dry_run = Check only (nothing is recorded)
lot-import = Import
lot-import_refused = Nothing was imported: fix these lines.
lot-dry_run_ok = Check passed: devices that would be created:
lot-imported = Devices created:
lot-no_file = choose a file
lot-labels = Print labels
lot-format = Stock
lot-skip = Labels already used on the first sheet
lot-include_media = Labels for storage media too
lot-print = Print
lot-devices = Devices

## import_issue
import_issue-unreadable = unreadable: { $reason }
import_issue-empty = the file is empty
import_issue-no_columns = no column for serial numbers or models: the first line must name the columns (e.g. “Numéro de série”, “Serial”, “Modèle”, “Type”)
import_issue-no_kind_column = no column for the kind of device (“Type”, “Catégorie”, “Category”)
import_issue-too_many_rows = more than { $max } devices: split the list
import_issue-unknown_kind = unknown kind “{ $word }”: use laptop, desktop, all-in-one, monitor, tablet, smartphone, server, printer or other
import_issue-no_kind = no kind given
import_issue-no_serial = no serial number: the device will be imported without one
import_issue-too_long = longer than { $max } characters
import_issue-repeated_serial = { $serial } is already on line { $first_line }
import_issue-already_in_lot = already in this lot as { $asset_tag }
import_issue-only_header = no device in the file, only its header
