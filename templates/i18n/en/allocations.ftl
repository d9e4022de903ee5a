# Beneficiaries, allocations and the stock they are made from.

## allocation_state
allocation_state-reserved = Reserved
allocation_state-delivered = Delivered
allocation_state-released = Released
allocation_state-returned = Returned

## allocation_action
allocation_action-deliver = deliver
allocation_action-release = release
allocation_action-return = return
allocation_action-accept = sign
allocation_action-complain = log a complaint

## category
category-job_seeker = Job seeker
category-student = Student
category-senior = Senior
category-low_income = Low income
category-individual_other = Individual (other)
category-association = Association
category-school = School
category-library = Library
category-organisation_other = Organisation (other)

## return_reason
return_reason-warranty_fault = Fault under warranty
return_reason-end_of_life = End of life (taken back for recycling)
return_reason-no_longer_needed = No longer needed
return_reason-other = Other

## acceptance
acceptance-pending = Not signed
acceptance-signed_on_device = Signed on screen
acceptance-signed_on_paper = Signed on paper

## stock
stock-title = Stock ready to give
stock-kind = Kind
stock-grade = Grade
stock-site = Workshop
stock-min_ram = Minimum RAM (GB)
stock-search = Model, CPU, OS
stock-filter = Filter
stock-any = Any
stock-total = ready devices
stock-allocate = Allocate
stock-none = No ready device matches.
stock-ungraded = not graded

## beneficiary
beneficiary-search = Reference, partner or name
beneficiary-list_title = Beneficiaries
beneficiary-new = New beneficiary
beneficiary-category = Category
beneficiary-postcode = Postcode
beneficiary-partner = Referred by (partner)
beneficiary-personal = Name and contact (optional, erasable)
beneficiary-name = Name
beneficiary-email = Email
beneficiary-phone = Phone
beneficiary-create = Save
beneficiary-reference = Reference
beneficiary-erase = Erase name and contact
beneficiary-erase_confirm = The name, contact and signatures will be erased for good; the allocations stay.
beneficiary-erased = No name or contact on record.
beneficiary-hidden = Name and contact on record (visible to the workshop's coordinators).
beneficiary-allocations = Allocations
beneficiary-none = No beneficiary.

## allocation
allocation-list_title = Allocations
allocation-new = Allocate a device
allocation-device = Device
allocation-beneficiary = Beneficiary
allocation-conditions = Terms
allocation-free = Free donation
allocation-solidarity_price = Solidarity price
allocation-price = Price (€)
allocation-loan = Loan
allocation-loan_until = Until
allocation-warranty = Warranty (months)
allocation-reserve = Reserve
allocation-state = State
allocation-handover = Handover form (PDF)
allocation-sign = Beneficiary's signature
allocation-sign_help = Sign with a finger inside the frame.
allocation-clear = Clear
allocation-save_signature = Save the signature
allocation-signed_on_paper = Signed on the paper form
allocation-acceptance = Acceptance
allocation-deliver = Hand the device over
allocation-release = Cancel the reservation
allocation-return = Record a return
allocation-reason = Reason
allocation-fault = Fault description
allocation-warranty_until = Warranty until
allocation-returned = Return
allocation-days = days after handover
allocation-complaints = Complaints
allocation-complaint_received = Received on
allocation-complaint_text = Complaint
allocation-log_complaint = Log the complaint
allocation-answer_due = answer due by
allocation-answer = Answer
allocation-answered_on = Answered on
allocation-send_answer = Save the answer
allocation-none = No allocation.
allocation-quality = This year's non-conformity rate (returns under warranty / deliveries)
allocation-unsigned_warning = The handover form is not signed: have it signed above (or record that it was signed on paper) before handing the device over.
allocation-unsigned_confirm = Hand over anyway, unsigned
allocation-new_beneficiary = + Someone not recorded yet (described below)
allocation-new_beneficiary_details = New beneficiary…
allocation-pad_needs_script = Signing on the screen needs JavaScript, which is off here: have the printed form signed, then record it below.
