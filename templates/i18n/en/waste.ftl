# Waste shipments.

## shipment
shipment-waiting = Taken back at end of life, to recycle
shipment-erase_first = erase or destroy its drives first
shipment-list_title = Waste shipments
shipment-new = New shipment
shipment-dispatched_on = Dispatch date
shipment-recycler = Recipient (recycler)
shipment-name = Company name
shipment-siret = SIRET
shipment-address = Address
shipment-postcode = Postcode
shipment-city = City
shipment-eco_organism = Eco-organism (optional)
shipment-transporter = Transporter (optional: else the workshop)
shipment-receipt = Receipt number
shipment-waste_code = Waste code
shipment-treatment_code = Treatment code
shipment-weight = Weighed (kg, optional)
shipment-trackdechets = Trackdéchets form number
shipment-items = Scanned tags (one a line)
shipment-dispatch = Record the shipment
shipment-register = Outgoing waste register
shipment-from = From
shipment-to = To
shipment-download = Download (CSV for the RNDTS)
shipment-none = No shipment.
shipment-estimated = estimated
shipment-measured = weighed
