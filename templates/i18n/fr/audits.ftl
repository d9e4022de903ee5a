# Stock audits.

## audit
audit-list_title = Inventaires du stock
audit-title = Inventaire du stock
audit-site = Atelier
audit-start = Commencer un inventaire
audit-open = en cours
audit-closed = clos
audit-scanned = Codes scannés :
audit-expected = attendu ici
audit-unexpected = pas attendu ici
audit-unknown = code inconnu
audit-close = Clore l’inventaire
audit-report = Rapport
audit-found = Trouvés :
audit-missing = Attendus mais pas trouvés
audit-unexpected_title = Trouvés mais pas attendus
audit-reason_unknown_code = code inconnu
audit-reason_other_site = appartient à un autre atelier
audit-reason_not_on_shelf = ne devrait pas être en stock
