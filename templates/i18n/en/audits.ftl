# Stock audits.

## audit
audit-list_title = Stock audits
audit-title = Stock audit
audit-site = Workshop
audit-start = Start a stock audit
audit-open = open
audit-closed = closed
audit-scanned = Codes scanned:
audit-expected = expected here
audit-unexpected = not expected here
audit-unknown = unknown code
audit-close = Close the audit
audit-report = Report
audit-found = Found:
audit-missing = Expected but not found
audit-unexpected_title = Found but not expected
audit-reason_unknown_code = unknown code
audit-reason_other_site = belongs to another workshop
audit-reason_not_on_shelf = should not be in stock
