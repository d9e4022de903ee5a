# The frame of every page: navigation, sign-in, errors and refusals, field labels, accounts, the dashboard.

## nav
nav-home = Home
nav-devices = Devices
nav-donors = Donors
nav-users = Accounts
nav-skip = Skip to content
nav-menu = Menu
nav-label = Main navigation
nav-reports = Report
nav-team = Team
nav-hours = Hours
nav-stock = Stock
nav-beneficiaries = Beneficiaries
nav-allocations = Allocations
nav-shipments = Waste
nav-scan = Scan
nav-lots = Lots
nav-audits = Audits
nav-account = My account
nav-logout = Sign out
nav-back_to_scan = Back to scanning

## login
login-title = Sign in
login-email = Email
login-password = Password
login-submit = Sign in
login-wrong = Wrong email or password.
login-too_many = Too many attempts: wait before trying again
login-expired = The form expired: try again.

## error
error-not_found_detail = This page does not exist, or you have no access to it. Check the address or the number.
error-method_detail = This address is not opened this way: it is a button's action. Go back to the page it belongs to.
error-bad_request_detail = The address or the form holds a value Retrace does not understand. Go back and correct it.
error-too_large_detail = The file sent is too large.
error-too_many_detail = Too many attempts: wait a little before trying again.
error-server_detail = Retrace could not answer. Nothing was recorded; try again, and tell the administrator if it goes on.
error-home = Back to the start
error-not_found = Not found
error-forbidden = Not allowed
error-conflict = Not possible right now
error-invalid = Invalid request
error-server = Server error
error-expired_form = The form expired: reload the page.

## problem
problem-allocation_state = An allocation that is « { $state } » cannot be « { $action } ».
problem-reserved_for_another = This device is held for another beneficiary ({ $reference }).
problem-already_accepted = The handover form is signed already.
problem-already_shipped = { $tag } already left in a waste shipment.
problem-medium_not_sanitized_to_ship = Storage medium { $tag } is « { $state } »: erase or destroy it first.
problem-validation = To complete or correct: { $fields }.
problem-unknown_code = No device or medium of your workshops has the tag, label or serial number “{ $code }”.
problem-mistyped_tag = “{ $code }” is not a valid asset tag: a character was probably mistyped, or two swapped.
problem-transition_not_allowed = “{ $action }” is not possible for a device in state “{ $state }”.
problem-terminal_state = The device is “{ $state }”: its journey is over, only an administrator can still correct it.
problem-media_not_sanitized = First erase or destroy these storage media: { $tags }.
problem-not_past_erasure = These devices must be erased first: { $tags }.
problem-device_has_media =
    This device has { $count ->
        [one] { $count } storage medium on record: it must be erased
       *[other] { $count } storage media on record: they must be erased
    }, not skipped.
problem-not_found = Not found, or in a workshop you cannot see.
problem-stale_version = The device changed since this page was opened: reload it, then try again.
problem-forbidden = Your role does not allow this.
problem-unauthenticated = Sign in again to go on.
problem-too_many_attempts = Too many failed sign-ins for this account: try again in { $seconds } s.
problem-medium_transition_not_allowed = “{ $action }” is not possible for a storage medium in state “{ $state }”.
problem-medium_not_sanitized = A storage medium goes back into a device only once erased; this one is “{ $state }”.
problem-medium_not_in_device = This storage medium is not in a device.
problem-medium_in_device = Remove this storage medium from its device first.
problem-verification_only = “{ $method }” only reads the drives back: it erases nothing, so nothing was recorded.
problem-site_code_taken = The site code { $code } is taken.
problem-email_taken = An account with the email { $email } already exists.
problem-serial_taken = { $tag } already has the serial number { $serial }.
problem-device_closed = Device { $tag } is “{ $state }”: it takes no more storage media or audits.
problem-medium_destroyed = Storage medium { $tag } is destroyed: there is nothing left to erase.
problem-log_already_imported = This log was already imported.
problem-already_issued = Certificate { $number } was already issued: to correct it, issue a revision of it.
problem-audit_open = A stock audit of this workshop is still open: close it first.
problem-audit_closed = This stock audit is closed: start a new one.
problem-records_moved = The records changed while the document was being prepared: try again.
problem-asset_list_invalid =
    The file has { $count ->
        [one] { $count } problem
       *[other] { $count } problems
    } to fix first: nothing was imported.

## field
field-from = From
field-recycler = Recycler
field-entries = Line
field-hours = Hours
field-expires_on = End date
field-transporter = Transporter
field-eco_organism = Eco-organism
field-tags = Tags
field-year = Year
field-to = To
field-body = Content
field-q = Search
field-lot_id = Donation
field-medium = Medium
field-capacity_bytes = Capacity
field-state = State
field-started_on = Start
field-ended_on = End
field-weekly_hours = Weekly hours
field-postcode = Postcode
field-email = E-mail
field-display_name = Name
field-role = Role
field-locale = Language
field-new_password = New password
field-password = Password
field-expires_in_days = Lifetime (days)
field-language = Language
field-disabled = Account disabled
field-name = Name
field-siret = SIRET
field-address = Address
field-contact_name = Contact's name
field-contact_email = Contact's email
field-contact_phone = Contact's phone
field-donor_id = Donor
field-site_id = Site
field-received_on = Received on
field-donor_reference = Donor's reference
field-declared_count = Devices announced
field-weight_kg = Weight (kg)
field-device_id = Device
field-medium_id = Medium
field-technique = Technique
field-category = Category
field-passes = Passes
field-destination = Destination
field-capacity_gb = Capacity (GB)
field-outcome = Result
field-verification_result = Verification result
field-verification = Verification
field-proposed = Drive of the log
field-method = Method
field-tool = Tool
field-tool_version = Tool version
field-witness = Witness
field-photo_reference = Photo reference
field-notes = Notes
field-errors = Errors seen
field-validator_id = Validator
field-note = Note
field-os = Operating system
field-checklist = Quality check
field-target_state = Target state
field-reason = Reason
field-code = Tag
field-serial_number = Serial number
field-kind = Kind
field-manufacturer = Manufacturer
field-model = Model
field-donor_asset_number = Donor asset number
field-file = File
field-skip = Labels already used on the first sheet
field-format = Stock
field-confirm_unsigned = Hand over unsigned

## public
public-refurbished_by = This device was refurbished by
public-help = For help, contact the workshop and give the number above.
public-staff = Staff sign-in

## account
account-language = Language
account-language_save = Save the language
account-tokens = API tokens
account-tokens_help = For an erasure station or a script: a token opens the API in your name until it expires or is revoked.
account-token_once = Copy this token now: it will never be shown again.
account-token_name = Token name
account-token_example = erasure station 2
account-token_days = Lifetime (days)
account-token_create = Create the token
account-token_created = created
account-token_expires = valid until
account-token_revoked = revoked or expired
account-token_revoke = Revoke
account-title = My account
account-name = Name
account-role = Role
account-role_admin = Network administration
account-role_coordinator = Coordination
account-role_technician = Technician
account-role_viewer = Read-only
account-password = Change password
account-current = Current password
account-new = New password (at least 10 characters)
account-submit = Change the password
account-signs_out = All your sessions end: sign in again with the new password.
account-wrong = The current password is not this one.
account-too_short = The new password must be at least 10 characters.

## users
users-title = Accounts
users-role = Role
users-site = Workshop
users-no_site = The whole network
users-disabled = disabled
users-invite = Invite someone
users-invite_help = The account is created with a first password you hand over; they change it from “My account”.
users-first_password = First password (at least 10 characters)
users-create = Create the account
users-edit = Change the account
users-disable = Account disabled (no more sign-in)
users-save = Save
users-reset = Set a new password…
users-reset_save = Set the password
users-erase = Erase personal data…
users-erase_help = The name and e-mail are erased everywhere; the account stays, disabled, under its reference, with the operations it did.

## dashboard
dashboard-title = Today
dashboard-hello = Hello { $name }.
dashboard-scan = Scan a label
dashboard-bench = At the bench
dashboard-to_inventory = to inventory
dashboard-to_erase = drives to erase
dashboard-failed = failed erasures
dashboard-to_check = waiting for the quality check
dashboard-failed_list = Drives to erase again or destroy
dashboard-desk = At the desk
dashboard-reserved = reserved, to hand over
dashboard-complaints = complaints to answer
dashboard-lots = donations to label and inventory
dashboard-to_ship = dismantled, to ship for recycling
dashboard-complaints_list = Complaints: answer due
dashboard-late = Late, due on
dashboard-due = Due on
dashboard-lots_list = Donations to label and inventory
dashboard-received_count = to inventory: { $n }
