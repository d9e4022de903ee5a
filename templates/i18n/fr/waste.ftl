# Waste shipments.

## shipment
shipment-waiting = Repris en fin de vie, à recycler
shipment-erase_first = effacez ou détruisez d’abord ses supports
shipment-list_title = Envois de déchets
shipment-new = Nouvel envoi
shipment-dispatched_on = Date d’expédition
shipment-recycler = Destinataire (recycleur)
shipment-name = Raison sociale
shipment-siret = SIRET
shipment-address = Adresse
shipment-postcode = Code postal
shipment-city = Commune
shipment-eco_organism = Éco-organisme (facultatif)
shipment-transporter = Transporteur (facultatif : sinon l’atelier)
shipment-receipt = N° de récépissé
shipment-waste_code = Code déchet
shipment-treatment_code = Code de traitement
shipment-weight = Poids pesé (kg, facultatif)
shipment-trackdechets = N° de bordereau Trackdéchets
shipment-items = Étiquettes scannées (une par ligne)
shipment-dispatch = Enregistrer l’envoi
shipment-register = Registre des déchets sortants
shipment-from = Du
shipment-to = Au
shipment-download = Télécharger (CSV pour le RNDTS)
shipment-none = Aucun envoi.
shipment-estimated = estimé
shipment-measured = pesé
