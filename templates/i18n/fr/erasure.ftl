# Erasure at the bench (NIST SP 800-88 words).

## nist_category
nist_category-clear = Effacement (clear)
nist_category-purge = Purge
nist_category-destroy = Destruction

## technique
technique-overwrite = Réécriture
technique-block_erase = Effacement par blocs
technique-crypto_erase = Effacement cryptographique
technique-degauss = Démagnétisation
technique-shred = Broyage
technique-disintegrate = Désintégration
technique-other = Autre

## verification
verification-full = Vérification complète
verification-sampling = Vérification par échantillon
verification-none = Sans vérification

## verification_result
verification_result-passed = réussie
verification_result-failed = échouée
verification_result-not_performed = non faite

## erasure_outcome
erasure_outcome-passed = Réussi
erasure_outcome-failed = Échoué

## erasure_source
erasure_source-manual = saisi à la main
erasure_source-nwipe = journal nwipe

## destination
destination-reuse_internal = Réemploi à l’atelier
destination-reuse_external = Réemploi hors de l’atelier
destination-recycling = Recyclage
destination-manufacturer = Retour au fabricant
destination-other = Autre

## erasure
erasure-title = Effacement des données
erasure-lshw = Rapport matériel (lshw -json)
erasure-lshw_help = Liste les disques de l’appareil et l’inventorie.
erasure-lshw_send = Envoyer le rapport
erasure-nwipe = Journal nwipe
erasure-nwipe_help = Chaque disque du journal est rapproché d’un support de l’appareil par son numéro de série.
erasure-nwipe_send = Importer le journal
erasure-destination = Destination des supports
erasure-by_hand = Effacement à la main (NIST 800-88)…
erasure-medium = Support
erasure-category = Catégorie
erasure-technique = Technique
erasure-method = Méthode
erasure-tool = Outil
erasure-tool_version = Version de l’outil
erasure-passes = Passes
erasure-verification = Vérification
erasure-outcome = Résultat
erasure-errors = Erreurs constatées
erasure-notes = Notes
erasure-record = Enregistrer l’effacement
erasure-destroy = Destruction…
erasure-destroy_how = Comment (ex. plateaux percés)
erasure-witness = Témoin
erasure-photo = Référence de la photo
erasure-destroy_record = Enregistrer la destruction
erasure-add_medium = Ajouter un support…
erasure-capacity_gb = Capacité (Go)
erasure-add = Ajouter
erasure-records = Effacements
erasure-no_records = Aucun effacement enregistré.
erasure-pass_count = passes : { $n }
erasure-by = par
erasure-log_title = Journal importé
erasure-log_incomplete = Le journal s’arrête avant le résumé de nwipe : aucun disque n’y compte comme effacé.
erasure-log_recorded = Supports enregistrés
erasure-unmatched = Disques sans support correspondant
erasure-attach_to = Rattacher à
erasure-new_medium = un nouveau support pour ce disque
erasure-kind = Type
erasure-attach = Rattacher
erasure-certificates = Certificats d’effacement
erasure-certify = Émettre le certificat d’effacement
erasure-certificate_language = Langue du certificat
erasure-verify = Vérifier
erasure-no_certificate = Aucun certificat d’effacement émis.
erasure-witnessed = témoin
erasure-nothing_open = Tous les supports sont effacés ou détruits.
erasure-status = État nwipe
