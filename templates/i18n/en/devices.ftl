# Devices: their kinds, states and steps, their pages, the scan page, refurbishing work.

## kind
kind-laptop = Laptop
kind-desktop = Desktop
kind-all_in_one = All-in-one
kind-monitor = Monitor
kind-tablet = Tablet
kind-smartphone = Smartphone
kind-server = Server
kind-printer = Printer
kind-other = Other

## state
state-received = Received
state-inventoried = Inventoried
state-erasing = Erasing
state-sanitized = Sanitized
state-refurbishing = Refurbishing
state-software_installed = Software installed
state-ready = Ready
state-reserved = Reserved
state-delivered = Delivered
state-dismantled = Dismantled
state-recycled = Recycled
state-lost = Lost

## action
action-audit = Inventory
action-start_erasure = Start erasure
action-sanitize_not_applicable = No medium to erase
action-start_refurbish = Start refurbishing
action-install_os = OS installed
action-pass_qc = Quality check passed
action-reserve = Reserve
action-release = Release
action-deliver = Deliver
action-return = Return
action-dismantle = Dismantle
action-recycle = Recycle
action-declare_lost = Declare lost
action-correct = Correct

## event
event-device-registered = Registered
event-device-updated = Record edited
event-medium-added = Storage medium added
event-medium-transitioned = Storage medium: state changed
event-medium-updated = Storage medium edited
event-erasure-recorded = Erasure recorded
event-device-work_recorded = Work recorded
event-allocation-reserved = Reserved for a beneficiary
event-allocation-delivered = Handed over to the beneficiary
event-allocation-released = Reservation cancelled
event-allocation-returned = Brought back by the beneficiary
event-allocation-accepted = Handover form signed
event-complaint-logged = Complaint received
event-complaint-answered = Complaint answered
event-certificate-issued = Certificate issued

## device
device-next = Next steps
device-details = Details
device-serial = Serial number
device-donor_asset = Donor asset number
device-os = Operating system
device-media = Storage media
device-no_media = No storage medium on record.
device-history = History
device-checklist = Quality check
device-note = Note
device-reason = Why it came back
device-end_of_life = End of life…
device-print = Print
device-print_label = Print the label again

## devices
devices-title = Devices
devices-search = Tag, serial number or model
devices-state = State
devices-kind = Kind
devices-any = Any
devices-count = Devices listed: { $n }.
devices-more = More match: narrow the search.

## scan
scan-title = Scan a label
scan-mode = Mode
scan-open = Open the item
scan-batch = Batch
scan-code = Label, URL or serial number
scan-submit = Go
scan-camera = Use the camera
scan-did_you_mean = Did you mean:
scan-results = Scans in this batch
scan-not_a_device = not a device

## qc
qc-boot = Boots
qc-keyboard = Keyboard
qc-screen = Screen
qc-battery = Battery
qc-network = Network
qc-os = Operating system

## work
work-title = Work
work-repair = Repair
work-description = Description
work-part = Part replaced
work-harvested = Harvested part (optional)
work-grade = Cosmetic grade
work-battery = Battery health (%)
work-os = Operating system installed
work-distribution = Distribution
work-version = Version
work-image = Image
work-record = Record
work-dismantle = Dismantle
work-parts = Parts kept (one a line)
