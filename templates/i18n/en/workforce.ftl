# Workers, their contracts and their hours.

## contract
contract-insertion = Insertion (CDDI)
contract-permanent = Permanent (CDI)
contract-fixed_term = Fixed-term (CDD)
contract-apprentice = Apprentice
contract-intern = Intern
contract-civic_service = Civic service
contract-volunteer = Volunteer

## exit
exit-durable_employment = Durable employment
exit-transitional_employment = Transitional employment
exit-positive_exit = Positive exit
exit-other_exit = Other exit
exit-withdrawn = Withdrawn (not counted)

## activity
activity-intake = Intake
activity-erasure = Erasure
activity-repair = Repair
activity-install = Install
activity-qc = Quality control
activity-logistics = Logistics
activity-training = Training
activity-other = Other

## worker
worker-passport = Skills passport (PDF)
worker-list_title = Team
worker-new = New person
worker-name = Name (erasable)
worker-contract = Contract
worker-started_on = Start
worker-ended_on = End
worker-exit = Exit
worker-weekly_hours = Hours a week
worker-create = Save
worker-end = End of contract
worker-save = Save
worker-erase = Erase the name
worker-erase_confirm = The name will be erased for good; the contract, hours and operations stay under the reference.
worker-hidden = Name on record (visible to the workshop's coordinators).
worker-erased = No name on record.
worker-none = Nobody in the team.
worker-timesheets = Hours

## timesheet
timesheet-title = The week's hours
timesheet-week_of = Week of
timesheet-previous = Previous week
timesheet-next = Next week
timesheet-worker = Person
timesheet-activity = Activity
timesheet-record = Record the hours
timesheet-recorded = Recorded already
timesheet-total = Total
timesheet-import_title = Import a spreadsheet of hours
timesheet-file = CSV file (columns: person, date, hours, activity)
timesheet-dry_run = Check only (nothing is recorded)
timesheet-import = Import
timesheet-checked = Check passed: lines that would be recorded:
timesheet-imported = Lines recorded:
timesheet-another_activity = another activity the same day
